"""The operator window: Qt widgets, item models, actions and dialogs over the session facade."""
