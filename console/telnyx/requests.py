"""Request bodies of the operations the console sends, generated from spec3.yml.

Do not edit by hand: run ``scripts/gen_request_models.py``. Each ``XxxRequest`` model
mirrors the spec schema of the same name (field names, types, enums, limits and ``required``);
``XxxRequestParams`` is the matching ``TypedDict`` the resource methods take as ``**params`` so
editors and type checkers know every keyword. ``from`` is spelt ``from_`` in Python.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Required, TypedDict

from pydantic import BaseModel, ConfigDict, Field


class RequestModel(BaseModel):
    """Base of every request body: unknown fields are an error, aliases are used on the wire."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class CallRequestAnsweringMachineDetectionConfig(RequestModel):
    """Nested object ``CallRequestAnsweringMachineDetectionConfig``."""

    after_greeting_silence_millis: int | None = None
    between_words_silence_millis: int | None = None
    greeting_duration_millis: int | None = None
    greeting_silence_duration_millis: int | None = None
    greeting_total_analysis_time_millis: int | None = None
    initial_silence_millis: int | None = None
    maximum_number_of_words: int | None = None
    maximum_word_length_millis: int | None = None
    silence_threshold: int | None = None
    total_analysis_time_millis: int | None = None


class CallRequestConferenceConfig(RequestModel):
    """Nested object ``CallRequestConferenceConfig``."""

    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None = None
    conference_name: str | None = None
    early_media: bool | None = None
    end_conference_on_exit: bool | None = None
    hold: bool | None = None
    hold_audio_url: str | None = None
    hold_media_name: str | None = None
    id: str | None = None
    mute: bool | None = None
    soft_end_conference_on_exit: bool | None = None
    start_conference_on_create: bool | None = None
    start_conference_on_enter: bool | None = None
    supervisor_role: Literal["barge", "monitor", "none", "whisper"] | None = None
    whisper_call_control_ids: list[str] | None = None


class CustomSipHeader(RequestModel):
    """Nested object ``CustomSipHeader``."""

    name: str
    value: str


class CallRequestDeepfakeDetection(RequestModel):
    """Nested object ``CallRequestDeepfakeDetection``."""

    enabled: bool
    rtp_timeout: Annotated[int, Field(ge=5, le=120)] | None = None
    timeout: Annotated[int, Field(ge=5, le=60)] | None = None


class DialogflowConfig(RequestModel):
    """Nested object ``DialogflowConfig``."""

    analyze_sentiment: bool | None = None
    partial_automated_agent_reply: bool | None = None


class SipHeader(RequestModel):
    """Nested object ``SipHeader``."""

    name: Literal["User-to-User"]
    value: str


class SoundModifications(RequestModel):
    """Nested object ``SoundModifications``."""

    octaves: float | None = None
    pitch: float | None = None
    semitone: float | None = None
    track: str | None = None


class StartStreamingRequestCustomParameters(RequestModel):
    """Nested object ``StartStreamingRequestCustomParameters``."""

    name: str | None = None
    value: str | None = None


class CallControlApplicationInbound(RequestModel):
    """Nested object ``CallControlApplicationInbound``."""

    channel_limit: int | None = None
    shaken_stir_enabled: bool | None = None
    sip_subdomain: str | None = None
    sip_subdomain_receive_settings: Literal["only_my_connections", "from_anyone"] | None = None


class CallControlApplicationOutbound(RequestModel):
    """Nested object ``CallControlApplicationOutbound``."""

    channel_limit: int | None = None
    outbound_voice_profile_id: str | None = None


class CallRequest(RequestModel):
    """Schema ``CallRequest`` of spec3.yml."""

    answering_machine_detection: (
        Literal["premium", "detect", "detect_beep", "detect_words", "greeting_end", "disabled"]
        | None
    ) = None
    answering_machine_detection_config: CallRequestAnsweringMachineDetectionConfig | None = None
    assistant: dict[str, Any] | None = None
    audio_url: str | None = None
    billing_group_id: str | None = None
    bridge_intent: bool | None = None
    bridge_on_answer: bool | None = None
    client_state: str | None = None
    command_id: str | None = None
    conference_config: CallRequestConferenceConfig | None = None
    connection_id: str
    conversation_relay_config: dict[str, Any] | None = None
    custom_headers: list[CustomSipHeader] | None = None
    deepfake_detection: CallRequestDeepfakeDetection | None = None
    dialogflow_config: DialogflowConfig | None = None
    enable_dialogflow: bool | None = None
    from_: str = Field(alias="from")
    from_display_name: str | None = None
    link_to: str | None = None
    media_encryption: Literal["disabled", "SRTP", "DTLS"] | None = None
    media_name: str | None = None
    park_after_unbridge: str | None = None
    preferred_codecs: str | None = None
    prevent_double_bridge: bool | None = None
    privacy: Literal["id", "none"] | None = None
    record: Literal["record-from-answer"] | None = None
    record_channels: Literal["single", "dual"] | None = None
    record_custom_file_name: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    record_format: Literal["wav", "mp3"] | None = None
    record_max_length: int | None = None
    record_timeout_secs: int | None = None
    record_track: Literal["both", "inbound", "outbound"] | None = None
    record_trim: Literal["trim-silence"] | None = None
    retry_on_timeout: bool | None = None
    send_digits_on_answer: str | None = None
    send_silence_when_idle: bool | None = None
    sip_auth_password: str | None = None
    sip_auth_username: str | None = None
    sip_headers: list[SipHeader] | None = None
    sip_region: Literal["US", "Europe", "Canada", "Australia", "Middle East"] | None = None
    sip_transport_protocol: Literal["UDP", "TCP", "TLS"] | None = None
    sound_modifications: SoundModifications | None = None
    stream_auth_token: Annotated[str, Field(max_length=4000)] | None = None
    stream_bidirectional_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16"] | None = (
        None
    )
    stream_bidirectional_mode: Literal["mp3", "rtp"] | None = None
    stream_bidirectional_sampling_rate: Literal[8000, 16000, 22050, 24000, 48000] | None = None
    stream_bidirectional_target_legs: Literal["both", "self", "opposite"] | None = None
    stream_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16", "default"] | None = None
    stream_establish_before_call_originate: bool | None = None
    stream_track: Literal["inbound_track", "outbound_track", "both_tracks"] | None = None
    stream_url: str | None = None
    supervise_call_control_id: str | None = None
    supervisor_role: Literal["barge", "whisper", "monitor"] | None = None
    time_limit_secs: Annotated[int, Field(ge=30, le=14400)] | None = None
    timeout_secs: int | None = None
    to: str | list[str]
    transcription: bool | None = None
    transcription_config: dict[str, Any] | None = None
    webhook_retries_policies: dict[str, Any] | None = None
    webhook_url: str | None = None
    webhook_url_method: Literal["POST", "GET"] | None = None
    webhook_urls: dict[str, Any] | None = None
    webhook_urls_method: Literal["POST", "GET"] | None = None


class CallRequestParams(TypedDict, total=False):
    answering_machine_detection: (
        Literal["premium", "detect", "detect_beep", "detect_words", "greeting_end", "disabled"]
        | None
    )
    answering_machine_detection_config: (
        CallRequestAnsweringMachineDetectionConfig | dict[str, Any] | None
    )
    assistant: dict[str, Any] | None
    audio_url: str | None
    billing_group_id: str | None
    bridge_intent: bool | None
    bridge_on_answer: bool | None
    client_state: str | None
    command_id: str | None
    conference_config: CallRequestConferenceConfig | dict[str, Any] | None
    connection_id: Required[str]
    conversation_relay_config: dict[str, Any] | None
    custom_headers: list[CustomSipHeader | dict[str, Any]] | None
    deepfake_detection: CallRequestDeepfakeDetection | dict[str, Any] | None
    dialogflow_config: DialogflowConfig | dict[str, Any] | None
    enable_dialogflow: bool | None
    from_: Required[str]
    from_display_name: str | None
    link_to: str | None
    media_encryption: Literal["disabled", "SRTP", "DTLS"] | None
    media_name: str | None
    park_after_unbridge: str | None
    preferred_codecs: str | None
    prevent_double_bridge: bool | None
    privacy: Literal["id", "none"] | None
    record: Literal["record-from-answer"] | None
    record_channels: Literal["single", "dual"] | None
    record_custom_file_name: str | None
    record_format: Literal["wav", "mp3"] | None
    record_max_length: int | None
    record_timeout_secs: int | None
    record_track: Literal["both", "inbound", "outbound"] | None
    record_trim: Literal["trim-silence"] | None
    retry_on_timeout: bool | None
    send_digits_on_answer: str | None
    send_silence_when_idle: bool | None
    sip_auth_password: str | None
    sip_auth_username: str | None
    sip_headers: list[SipHeader | dict[str, Any]] | None
    sip_region: Literal["US", "Europe", "Canada", "Australia", "Middle East"] | None
    sip_transport_protocol: Literal["UDP", "TCP", "TLS"] | None
    sound_modifications: SoundModifications | dict[str, Any] | None
    stream_auth_token: str | None
    stream_bidirectional_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16"] | None
    stream_bidirectional_mode: Literal["mp3", "rtp"] | None
    stream_bidirectional_sampling_rate: Literal[8000, 16000, 22050, 24000, 48000] | None
    stream_bidirectional_target_legs: Literal["both", "self", "opposite"] | None
    stream_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16", "default"] | None
    stream_establish_before_call_originate: bool | None
    stream_track: Literal["inbound_track", "outbound_track", "both_tracks"] | None
    stream_url: str | None
    supervise_call_control_id: str | None
    supervisor_role: Literal["barge", "whisper", "monitor"] | None
    time_limit_secs: int | None
    timeout_secs: int | None
    to: Required[str | list[str]]
    transcription: bool | None
    transcription_config: dict[str, Any] | None
    webhook_retries_policies: dict[str, Any] | None
    webhook_url: str | None
    webhook_url_method: Literal["POST", "GET"] | None
    webhook_urls: dict[str, Any] | None
    webhook_urls_method: Literal["POST", "GET"] | None


class AnswerRequest(RequestModel):
    """Schema ``AnswerRequest`` of spec3.yml."""

    assistant: dict[str, Any] | None = None
    billing_group_id: str | None = None
    client_state: str | None = None
    command_id: str | None = None
    conversation_relay_config: dict[str, Any] | None = None
    custom_headers: list[CustomSipHeader] | None = None
    deepfake_detection: CallRequestDeepfakeDetection | None = None
    preferred_codecs: Literal["G722,PCMU,PCMA,G729,OPUS,VP8,H264"] | None = None
    record: Literal["record-from-answer"] | None = None
    record_channels: Literal["single", "dual"] | None = None
    record_custom_file_name: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    record_format: Literal["wav", "mp3"] | None = None
    record_max_length: int | None = None
    record_timeout_secs: int | None = None
    record_track: Literal["both", "inbound", "outbound"] | None = None
    record_trim: Literal["trim-silence"] | None = None
    send_silence_when_idle: bool | None = None
    sip_headers: list[SipHeader] | None = None
    sound_modifications: SoundModifications | None = None
    stream_bidirectional_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16"] | None = (
        None
    )
    stream_bidirectional_mode: Literal["mp3", "rtp"] | None = None
    stream_bidirectional_target_legs: Literal["both", "self", "opposite"] | None = None
    stream_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16", "default"] | None = None
    stream_track: Literal["inbound_track", "outbound_track", "both_tracks"] | None = None
    stream_url: str | None = None
    transcription: bool | None = None
    transcription_config: dict[str, Any] | None = None
    webhook_retries_policies: dict[str, Any] | None = None
    webhook_url: str | None = None
    webhook_url_method: Literal["POST", "GET"] | None = None
    webhook_urls: dict[str, Any] | None = None
    webhook_urls_method: Literal["POST", "GET"] | None = None


class AnswerRequestParams(TypedDict, total=False):
    assistant: dict[str, Any] | None
    billing_group_id: str | None
    client_state: str | None
    command_id: str | None
    conversation_relay_config: dict[str, Any] | None
    custom_headers: list[CustomSipHeader | dict[str, Any]] | None
    deepfake_detection: CallRequestDeepfakeDetection | dict[str, Any] | None
    preferred_codecs: Literal["G722,PCMU,PCMA,G729,OPUS,VP8,H264"] | None
    record: Literal["record-from-answer"] | None
    record_channels: Literal["single", "dual"] | None
    record_custom_file_name: str | None
    record_format: Literal["wav", "mp3"] | None
    record_max_length: int | None
    record_timeout_secs: int | None
    record_track: Literal["both", "inbound", "outbound"] | None
    record_trim: Literal["trim-silence"] | None
    send_silence_when_idle: bool | None
    sip_headers: list[SipHeader | dict[str, Any]] | None
    sound_modifications: SoundModifications | dict[str, Any] | None
    stream_bidirectional_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16"] | None
    stream_bidirectional_mode: Literal["mp3", "rtp"] | None
    stream_bidirectional_target_legs: Literal["both", "self", "opposite"] | None
    stream_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16", "default"] | None
    stream_track: Literal["inbound_track", "outbound_track", "both_tracks"] | None
    stream_url: str | None
    transcription: bool | None
    transcription_config: dict[str, Any] | None
    webhook_retries_policies: dict[str, Any] | None
    webhook_url: str | None
    webhook_url_method: Literal["POST", "GET"] | None
    webhook_urls: dict[str, Any] | None
    webhook_urls_method: Literal["POST", "GET"] | None


class RejectRequest(RequestModel):
    """Schema ``RejectRequest`` of spec3.yml."""

    cause: Literal["CALL_REJECTED", "USER_BUSY"]
    client_state: str | None = None
    command_id: str | None = None


class RejectRequestParams(TypedDict, total=False):
    cause: Required[Literal["CALL_REJECTED", "USER_BUSY"]]
    client_state: str | None
    command_id: str | None


class HangupRequest(RequestModel):
    """Schema ``HangupRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    custom_headers: list[CustomSipHeader] | None = None


class HangupRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    custom_headers: list[CustomSipHeader | dict[str, Any]] | None


class TransferCallRequest(RequestModel):
    """Schema ``TransferCallRequest`` of spec3.yml."""

    answering_machine_detection: (
        Literal["premium", "detect", "detect_beep", "detect_words", "greeting_end", "disabled"]
        | None
    ) = None
    answering_machine_detection_config: CallRequestAnsweringMachineDetectionConfig | None = None
    audio_url: str | None = None
    client_state: str | None = None
    command_id: str | None = None
    custom_headers: list[CustomSipHeader] | None = None
    early_media: bool | None = None
    from_: str | None = Field(None, alias="from")
    from_display_name: str | None = None
    media_encryption: Literal["disabled", "SRTP", "DTLS"] | None = None
    media_name: str | None = None
    mute_dtmf: Literal["none", "both", "self", "opposite"] | None = None
    park_after_unbridge: str | None = None
    preferred_codecs: str | None = None
    privacy: Literal["id", "none"] | None = None
    record: Literal["record-from-answer"] | None = None
    record_channels: Literal["single", "dual"] | None = None
    record_custom_file_name: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    record_format: Literal["wav", "mp3"] | None = None
    record_max_length: int | None = None
    record_timeout_secs: int | None = None
    record_track: Literal["both", "inbound", "outbound"] | None = None
    record_trim: Literal["trim-silence"] | None = None
    send_digits_on_answer: str | None = None
    sip_auth_password: str | None = None
    sip_auth_username: str | None = None
    sip_headers: list[SipHeader] | None = None
    sip_region: Literal["US", "Europe", "Canada", "Australia", "Middle East"] | None = None
    sip_transport_protocol: Literal["UDP", "TCP", "TLS"] | None = None
    sound_modifications: SoundModifications | None = None
    target_leg_client_state: str | None = None
    time_limit_secs: Annotated[int, Field(ge=30, le=14400)] | None = None
    timeout_secs: int | None = None
    to: str
    webhook_retries_policies: dict[str, Any] | None = None
    webhook_url: str | None = None
    webhook_url_method: Literal["POST", "GET"] | None = None
    webhook_urls: dict[str, Any] | None = None
    webhook_urls_method: Literal["POST", "GET"] | None = None


class TransferCallRequestParams(TypedDict, total=False):
    answering_machine_detection: (
        Literal["premium", "detect", "detect_beep", "detect_words", "greeting_end", "disabled"]
        | None
    )
    answering_machine_detection_config: (
        CallRequestAnsweringMachineDetectionConfig | dict[str, Any] | None
    )
    audio_url: str | None
    client_state: str | None
    command_id: str | None
    custom_headers: list[CustomSipHeader | dict[str, Any]] | None
    early_media: bool | None
    from_: str | None
    from_display_name: str | None
    media_encryption: Literal["disabled", "SRTP", "DTLS"] | None
    media_name: str | None
    mute_dtmf: Literal["none", "both", "self", "opposite"] | None
    park_after_unbridge: str | None
    preferred_codecs: str | None
    privacy: Literal["id", "none"] | None
    record: Literal["record-from-answer"] | None
    record_channels: Literal["single", "dual"] | None
    record_custom_file_name: str | None
    record_format: Literal["wav", "mp3"] | None
    record_max_length: int | None
    record_timeout_secs: int | None
    record_track: Literal["both", "inbound", "outbound"] | None
    record_trim: Literal["trim-silence"] | None
    send_digits_on_answer: str | None
    sip_auth_password: str | None
    sip_auth_username: str | None
    sip_headers: list[SipHeader | dict[str, Any]] | None
    sip_region: Literal["US", "Europe", "Canada", "Australia", "Middle East"] | None
    sip_transport_protocol: Literal["UDP", "TCP", "TLS"] | None
    sound_modifications: SoundModifications | dict[str, Any] | None
    target_leg_client_state: str | None
    time_limit_secs: int | None
    timeout_secs: int | None
    to: Required[str]
    webhook_retries_policies: dict[str, Any] | None
    webhook_url: str | None
    webhook_url_method: Literal["POST", "GET"] | None
    webhook_urls: dict[str, Any] | None
    webhook_urls_method: Literal["POST", "GET"] | None


class BridgeRequest(RequestModel):
    """Schema ``BridgeRequest`` of spec3.yml."""

    call_control_id: str
    client_state: str | None = None
    command_id: str | None = None
    hold_after_unbridge: bool | None = None
    mute_dtmf: Literal["none", "both", "self", "opposite"] | None = None
    park_after_unbridge: str | None = None
    play_ringtone: bool | None = None
    prevent_double_bridge: bool | None = None
    queue: str | None = None
    record: Literal["record-from-answer"] | None = None
    record_channels: Literal["single", "dual"] | None = None
    record_custom_file_name: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    record_format: Literal["wav", "mp3"] | None = None
    record_max_length: int | None = None
    record_timeout_secs: int | None = None
    record_track: Literal["both", "inbound", "outbound"] | None = None
    record_trim: Literal["trim-silence"] | None = None
    ringtone: (
        Literal[
            "at",
            "au",
            "be",
            "bg",
            "br",
            "ch",
            "cl",
            "cn",
            "cz",
            "de",
            "dk",
            "ee",
            "es",
            "fi",
            "fr",
            "gr",
            "hu",
            "il",
            "in",
            "it",
            "jp",
            "lt",
            "mx",
            "my",
            "nl",
            "no",
            "nz",
            "ph",
            "pl",
            "pt",
            "ru",
            "se",
            "sg",
            "th",
            "tw",
            "uk",
            "us-old",
            "us",
            "ve",
            "za",
        ]
        | None
    ) = None
    video_room_context: str | None = None
    video_room_id: str | None = None


class BridgeRequestParams(TypedDict, total=False):
    call_control_id: Required[str]
    client_state: str | None
    command_id: str | None
    hold_after_unbridge: bool | None
    mute_dtmf: Literal["none", "both", "self", "opposite"] | None
    park_after_unbridge: str | None
    play_ringtone: bool | None
    prevent_double_bridge: bool | None
    queue: str | None
    record: Literal["record-from-answer"] | None
    record_channels: Literal["single", "dual"] | None
    record_custom_file_name: str | None
    record_format: Literal["wav", "mp3"] | None
    record_max_length: int | None
    record_timeout_secs: int | None
    record_track: Literal["both", "inbound", "outbound"] | None
    record_trim: Literal["trim-silence"] | None
    ringtone: (
        Literal[
            "at",
            "au",
            "be",
            "bg",
            "br",
            "ch",
            "cl",
            "cn",
            "cz",
            "de",
            "dk",
            "ee",
            "es",
            "fi",
            "fr",
            "gr",
            "hu",
            "il",
            "in",
            "it",
            "jp",
            "lt",
            "mx",
            "my",
            "nl",
            "no",
            "nz",
            "ph",
            "pl",
            "pt",
            "ru",
            "se",
            "sg",
            "th",
            "tw",
            "uk",
            "us-old",
            "us",
            "ve",
            "za",
        ]
        | None
    )
    video_room_context: str | None
    video_room_id: str | None


class ReferRequest(RequestModel):
    """Schema ``ReferRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    custom_headers: list[CustomSipHeader] | None = None
    sip_address: str
    sip_auth_password: str | None = None
    sip_auth_username: str | None = None
    sip_headers: list[SipHeader] | None = None


class ReferRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    custom_headers: list[CustomSipHeader | dict[str, Any]] | None
    sip_address: Required[str]
    sip_auth_password: str | None
    sip_auth_username: str | None
    sip_headers: list[SipHeader | dict[str, Any]] | None


class SendSIPInfoRequest(RequestModel):
    """Schema ``SendSIPInfoRequest`` of spec3.yml."""

    body: str
    client_state: str | None = None
    command_id: str | None = None
    content_type: str


class SendSIPInfoRequestParams(TypedDict, total=False):
    body: Required[str]
    client_state: str | None
    command_id: str | None
    content_type: Required[str]


class StartRecordingRequest(RequestModel):
    """Schema ``StartRecordingRequest`` of spec3.yml."""

    channels: Literal["single", "dual"]
    client_state: str | None = None
    command_id: str | None = None
    custom_file_name: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    format: Literal["wav", "mp3"]
    max_length: int | None = None
    play_beep: bool | None = None
    recording_track: Literal["both", "inbound", "outbound"] | None = None
    timeout_secs: int | None = None
    transcription: bool | None = None
    transcription_engine: Literal["A", "B", "deepgram/nova-3"] | None = None
    transcription_language: (
        Literal[
            "af",
            "af-ZA",
            "am",
            "am-ET",
            "ar",
            "ar-AE",
            "ar-BH",
            "ar-DZ",
            "ar-EG",
            "ar-IL",
            "ar-IQ",
            "ar-JO",
            "ar-KW",
            "ar-LB",
            "ar-MA",
            "ar-MR",
            "ar-OM",
            "ar-PS",
            "ar-QA",
            "ar-SA",
            "ar-TN",
            "ar-YE",
            "as",
            "auto_detect",
            "az",
            "az-AZ",
            "ba",
            "be",
            "bg",
            "bg-BG",
            "bn",
            "bn-BD",
            "bn-IN",
            "bo",
            "br",
            "bs",
            "bs-BA",
            "ca",
            "ca-ES",
            "cs",
            "cs-CZ",
            "cy",
            "da",
            "da-DK",
            "de",
            "de-AT",
            "de-CH",
            "de-DE",
            "el",
            "el-GR",
            "en",
            "en-AU",
            "en-CA",
            "en-GB",
            "en-GH",
            "en-HK",
            "en-IE",
            "en-IN",
            "en-KE",
            "en-NG",
            "en-NZ",
            "en-PH",
            "en-PK",
            "en-SG",
            "en-TZ",
            "en-US",
            "en-ZA",
            "es",
            "es-419",
            "es-AR",
            "es-BO",
            "es-CL",
            "es-CO",
            "es-CR",
            "es-DO",
            "es-EC",
            "es-ES",
            "es-GT",
            "es-HN",
            "es-MX",
            "es-NI",
            "es-PA",
            "es-PE",
            "es-PR",
            "es-PY",
            "es-SV",
            "es-US",
            "es-UY",
            "es-VE",
            "et",
            "et-EE",
            "eu",
            "eu-ES",
            "fa",
            "fa-IR",
            "fi",
            "fi-FI",
            "fil-PH",
            "fo",
            "fr",
            "fr-BE",
            "fr-CA",
            "fr-CH",
            "fr-FR",
            "gl",
            "gl-ES",
            "gu",
            "gu-IN",
            "ha",
            "haw",
            "he",
            "hi",
            "hi-IN",
            "hr",
            "hr-HR",
            "ht",
            "hu",
            "hu-HU",
            "hy",
            "hy-AM",
            "id",
            "id-ID",
            "is",
            "is-IS",
            "it",
            "it-CH",
            "it-IT",
            "iw-IL",
            "ja",
            "ja-JP",
            "jv-ID",
            "jw",
            "ka",
            "ka-GE",
            "kk",
            "kk-KZ",
            "km",
            "km-KH",
            "kn",
            "kn-IN",
            "ko",
            "ko-KR",
            "la",
            "lb",
            "ln",
            "lo",
            "lo-LA",
            "lt",
            "lt-LT",
            "lv",
            "lv-LV",
            "mg",
            "mi",
            "mk",
            "mk-MK",
            "ml",
            "ml-IN",
            "mn",
            "mn-MN",
            "mr",
            "mr-IN",
            "ms",
            "ms-MY",
            "mt",
            "my",
            "my-MM",
            "ne",
            "ne-NP",
            "nl",
            "nl-BE",
            "nl-NL",
            "nn",
            "no",
            "no-NO",
            "oc",
            "pa",
            "pa-Guru-IN",
            "pl",
            "pl-PL",
            "ps",
            "pt",
            "pt-BR",
            "pt-PT",
            "ro",
            "ro-RO",
            "ru",
            "ru-RU",
            "rw-RW",
            "sa",
            "sd",
            "si",
            "si-LK",
            "sk",
            "sk-SK",
            "sl",
            "sl-SI",
            "sn",
            "so",
            "sq",
            "sq-AL",
            "sr",
            "sr-RS",
            "ss-latn-za",
            "st-ZA",
            "su",
            "su-ID",
            "sv",
            "sv-SE",
            "sw",
            "sw-KE",
            "sw-TZ",
            "ta",
            "ta-IN",
            "ta-LK",
            "ta-MY",
            "ta-SG",
            "te",
            "te-IN",
            "tg",
            "th",
            "th-TH",
            "tk",
            "tl",
            "tn-latn-za",
            "tr",
            "tr-TR",
            "ts-ZA",
            "tt",
            "uk",
            "uk-UA",
            "ur",
            "ur-IN",
            "ur-PK",
            "uz",
            "uz-UZ",
            "ve-ZA",
            "vi",
            "vi-VN",
            "xh-ZA",
            "yi",
            "yo",
            "yue-Hant-HK",
            "zh",
            "zh-TW",
            "zu-ZA",
        ]
        | None
    ) = None
    transcription_max_speaker_count: int | None = None
    transcription_min_speaker_count: int | None = None
    transcription_profanity_filter: bool | None = None
    transcription_speaker_diarization: bool | None = None
    trim: Literal["trim-silence"] | None = None


class StartRecordingRequestParams(TypedDict, total=False):
    channels: Required[Literal["single", "dual"]]
    client_state: str | None
    command_id: str | None
    custom_file_name: str | None
    format: Required[Literal["wav", "mp3"]]
    max_length: int | None
    play_beep: bool | None
    recording_track: Literal["both", "inbound", "outbound"] | None
    timeout_secs: int | None
    transcription: bool | None
    transcription_engine: Literal["A", "B", "deepgram/nova-3"] | None
    transcription_language: (
        Literal[
            "af",
            "af-ZA",
            "am",
            "am-ET",
            "ar",
            "ar-AE",
            "ar-BH",
            "ar-DZ",
            "ar-EG",
            "ar-IL",
            "ar-IQ",
            "ar-JO",
            "ar-KW",
            "ar-LB",
            "ar-MA",
            "ar-MR",
            "ar-OM",
            "ar-PS",
            "ar-QA",
            "ar-SA",
            "ar-TN",
            "ar-YE",
            "as",
            "auto_detect",
            "az",
            "az-AZ",
            "ba",
            "be",
            "bg",
            "bg-BG",
            "bn",
            "bn-BD",
            "bn-IN",
            "bo",
            "br",
            "bs",
            "bs-BA",
            "ca",
            "ca-ES",
            "cs",
            "cs-CZ",
            "cy",
            "da",
            "da-DK",
            "de",
            "de-AT",
            "de-CH",
            "de-DE",
            "el",
            "el-GR",
            "en",
            "en-AU",
            "en-CA",
            "en-GB",
            "en-GH",
            "en-HK",
            "en-IE",
            "en-IN",
            "en-KE",
            "en-NG",
            "en-NZ",
            "en-PH",
            "en-PK",
            "en-SG",
            "en-TZ",
            "en-US",
            "en-ZA",
            "es",
            "es-419",
            "es-AR",
            "es-BO",
            "es-CL",
            "es-CO",
            "es-CR",
            "es-DO",
            "es-EC",
            "es-ES",
            "es-GT",
            "es-HN",
            "es-MX",
            "es-NI",
            "es-PA",
            "es-PE",
            "es-PR",
            "es-PY",
            "es-SV",
            "es-US",
            "es-UY",
            "es-VE",
            "et",
            "et-EE",
            "eu",
            "eu-ES",
            "fa",
            "fa-IR",
            "fi",
            "fi-FI",
            "fil-PH",
            "fo",
            "fr",
            "fr-BE",
            "fr-CA",
            "fr-CH",
            "fr-FR",
            "gl",
            "gl-ES",
            "gu",
            "gu-IN",
            "ha",
            "haw",
            "he",
            "hi",
            "hi-IN",
            "hr",
            "hr-HR",
            "ht",
            "hu",
            "hu-HU",
            "hy",
            "hy-AM",
            "id",
            "id-ID",
            "is",
            "is-IS",
            "it",
            "it-CH",
            "it-IT",
            "iw-IL",
            "ja",
            "ja-JP",
            "jv-ID",
            "jw",
            "ka",
            "ka-GE",
            "kk",
            "kk-KZ",
            "km",
            "km-KH",
            "kn",
            "kn-IN",
            "ko",
            "ko-KR",
            "la",
            "lb",
            "ln",
            "lo",
            "lo-LA",
            "lt",
            "lt-LT",
            "lv",
            "lv-LV",
            "mg",
            "mi",
            "mk",
            "mk-MK",
            "ml",
            "ml-IN",
            "mn",
            "mn-MN",
            "mr",
            "mr-IN",
            "ms",
            "ms-MY",
            "mt",
            "my",
            "my-MM",
            "ne",
            "ne-NP",
            "nl",
            "nl-BE",
            "nl-NL",
            "nn",
            "no",
            "no-NO",
            "oc",
            "pa",
            "pa-Guru-IN",
            "pl",
            "pl-PL",
            "ps",
            "pt",
            "pt-BR",
            "pt-PT",
            "ro",
            "ro-RO",
            "ru",
            "ru-RU",
            "rw-RW",
            "sa",
            "sd",
            "si",
            "si-LK",
            "sk",
            "sk-SK",
            "sl",
            "sl-SI",
            "sn",
            "so",
            "sq",
            "sq-AL",
            "sr",
            "sr-RS",
            "ss-latn-za",
            "st-ZA",
            "su",
            "su-ID",
            "sv",
            "sv-SE",
            "sw",
            "sw-KE",
            "sw-TZ",
            "ta",
            "ta-IN",
            "ta-LK",
            "ta-MY",
            "ta-SG",
            "te",
            "te-IN",
            "tg",
            "th",
            "th-TH",
            "tk",
            "tl",
            "tn-latn-za",
            "tr",
            "tr-TR",
            "ts-ZA",
            "tt",
            "uk",
            "uk-UA",
            "ur",
            "ur-IN",
            "ur-PK",
            "uz",
            "uz-UZ",
            "ve-ZA",
            "vi",
            "vi-VN",
            "xh-ZA",
            "yi",
            "yo",
            "yue-Hant-HK",
            "zh",
            "zh-TW",
            "zu-ZA",
        ]
        | None
    )
    transcription_max_speaker_count: int | None
    transcription_min_speaker_count: int | None
    transcription_profanity_filter: bool | None
    transcription_speaker_diarization: bool | None
    trim: Literal["trim-silence"] | None


class StopRecordingRequest(RequestModel):
    """Schema ``StopRecordingRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    recording_id: str | None = None


class StopRecordingRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    recording_id: str | None


class PauseRecordingRequest(RequestModel):
    """Schema ``PauseRecordingRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    recording_id: str | None = None


class PauseRecordingRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    recording_id: str | None


class ResumeRecordingRequest(RequestModel):
    """Schema ``ResumeRecordingRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    recording_id: str | None = None


class ResumeRecordingRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    recording_id: str | None


class PlayAudioUrlRequest(RequestModel):
    """Schema ``PlayAudioUrlRequest`` of spec3.yml."""

    audio_type: Literal["mp3", "wav"] | None = None
    audio_url: str | None = None
    cache_audio: bool | None = None
    client_state: str | None = None
    command_id: str | None = None
    loop: Literal["infinity"] | Annotated[int, Field(ge=1, le=100)] | None = None
    media_name: str | None = None
    overlay: bool | None = None
    playback_content: str | None = None
    stop: str | None = None
    target_legs: str | None = None


class PlayAudioUrlRequestParams(TypedDict, total=False):
    audio_type: Literal["mp3", "wav"] | None
    audio_url: str | None
    cache_audio: bool | None
    client_state: str | None
    command_id: str | None
    loop: Literal["infinity"] | int | None
    media_name: str | None
    overlay: bool | None
    playback_content: str | None
    stop: str | None
    target_legs: str | None


class PlaybackStopRequest(RequestModel):
    """Schema ``PlaybackStopRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    overlay: bool | None = None
    stop: str | None = None


class PlaybackStopRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    overlay: bool | None
    stop: str | None


class SpeakRequest(RequestModel):
    """Schema ``SpeakRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    language: (
        Literal[
            "arb",
            "cmn-CN",
            "cy-GB",
            "da-DK",
            "de-DE",
            "en-AU",
            "en-GB",
            "en-GB-WLS",
            "en-IN",
            "en-US",
            "es-ES",
            "es-MX",
            "es-US",
            "fr-CA",
            "fr-FR",
            "hi-IN",
            "is-IS",
            "it-IT",
            "ja-JP",
            "ko-KR",
            "nb-NO",
            "nl-NL",
            "pl-PL",
            "pt-BR",
            "pt-PT",
            "ro-RO",
            "ru-RU",
            "sv-SE",
            "tr-TR",
        ]
        | None
    ) = None
    loop: Literal["infinity"] | Annotated[int, Field(ge=1, le=100)] | None = None
    payload: str
    payload_type: Literal["text", "ssml"] | None = None
    service_level: Literal["basic", "premium"] | None = None
    stop: str | None = None
    target_legs: Literal["self", "opposite", "both"] | None = None
    voice: str
    voice_settings: dict[str, Any] | None = None


class SpeakRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    language: (
        Literal[
            "arb",
            "cmn-CN",
            "cy-GB",
            "da-DK",
            "de-DE",
            "en-AU",
            "en-GB",
            "en-GB-WLS",
            "en-IN",
            "en-US",
            "es-ES",
            "es-MX",
            "es-US",
            "fr-CA",
            "fr-FR",
            "hi-IN",
            "is-IS",
            "it-IT",
            "ja-JP",
            "ko-KR",
            "nb-NO",
            "nl-NL",
            "pl-PL",
            "pt-BR",
            "pt-PT",
            "ro-RO",
            "ru-RU",
            "sv-SE",
            "tr-TR",
        ]
        | None
    )
    loop: Literal["infinity"] | int | None
    payload: Required[str]
    payload_type: Literal["text", "ssml"] | None
    service_level: Literal["basic", "premium"] | None
    stop: str | None
    target_legs: Literal["self", "opposite", "both"] | None
    voice: Required[str]
    voice_settings: dict[str, Any] | None


class SendDTMFRequest(RequestModel):
    """Schema ``SendDTMFRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    digits: str
    duration_millis: int | None = None


class SendDTMFRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    digits: Required[str]
    duration_millis: int | None


class GatherUsingAudioRequest(RequestModel):
    """Schema ``GatherUsingAudioRequest`` of spec3.yml."""

    audio_url: str | None = None
    client_state: str | None = None
    command_id: str | None = None
    inter_digit_timeout_millis: int | None = None
    invalid_audio_url: str | None = None
    invalid_media_name: str | None = None
    maximum_digits: int | None = None
    maximum_tries: int | None = None
    media_name: str | None = None
    minimum_digits: int | None = None
    terminating_digit: str | None = None
    timeout_millis: int | None = None
    valid_digits: str | None = None


class GatherUsingAudioRequestParams(TypedDict, total=False):
    audio_url: str | None
    client_state: str | None
    command_id: str | None
    inter_digit_timeout_millis: int | None
    invalid_audio_url: str | None
    invalid_media_name: str | None
    maximum_digits: int | None
    maximum_tries: int | None
    media_name: str | None
    minimum_digits: int | None
    terminating_digit: str | None
    timeout_millis: int | None
    valid_digits: str | None


class EnqueueRequest(RequestModel):
    """Schema ``EnqueueRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    keep_after_hangup: bool | None = None
    max_size: int | None = None
    max_wait_time_secs: int | None = None
    queue_name: str


class EnqueueRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    keep_after_hangup: bool | None
    max_size: int | None
    max_wait_time_secs: int | None
    queue_name: Required[str]


class LeaveQueueRequest(RequestModel):
    """Schema ``LeaveQueueRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None


class LeaveQueueRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None


class StartStreamingRequest(RequestModel):
    """Schema ``StartStreamingRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    custom_parameters: list[StartStreamingRequestCustomParameters] | None = None
    dialogflow_config: DialogflowConfig | None = None
    enable_dialogflow: bool | None = None
    stream_auth_token: Annotated[str, Field(max_length=4000)] | None = None
    stream_bidirectional_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16"] | None = (
        None
    )
    stream_bidirectional_mode: Literal["mp3", "rtp"] | None = None
    stream_bidirectional_sampling_rate: Literal[8000, 16000, 22050, 24000, 48000] | None = None
    stream_bidirectional_target_legs: Literal["both", "self", "opposite"] | None = None
    stream_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16", "default"] | None = None
    stream_track: Literal["inbound_track", "outbound_track", "both_tracks"] | None = None
    stream_url: str | None = None


class StartStreamingRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    custom_parameters: list[StartStreamingRequestCustomParameters | dict[str, Any]] | None
    dialogflow_config: DialogflowConfig | dict[str, Any] | None
    enable_dialogflow: bool | None
    stream_auth_token: str | None
    stream_bidirectional_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16"] | None
    stream_bidirectional_mode: Literal["mp3", "rtp"] | None
    stream_bidirectional_sampling_rate: Literal[8000, 16000, 22050, 24000, 48000] | None
    stream_bidirectional_target_legs: Literal["both", "self", "opposite"] | None
    stream_codec: Literal["PCMU", "PCMA", "G722", "OPUS", "AMR-WB", "L16", "default"] | None
    stream_track: Literal["inbound_track", "outbound_track", "both_tracks"] | None
    stream_url: str | None


class StopStreamingRequest(RequestModel):
    """Schema ``StopStreamingRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    stream_id: str | None = None


class StopStreamingRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    stream_id: str | None


class ClientStateUpdateRequest(RequestModel):
    """Schema ``ClientStateUpdateRequest`` of spec3.yml."""

    client_state: str


class ClientStateUpdateRequestParams(TypedDict, total=False):
    client_state: Required[str]


class SwitchSupervisorRoleRequest(RequestModel):
    """Schema ``SwitchSupervisorRoleRequest`` of spec3.yml."""

    role: Literal["barge", "whisper", "monitor"]


class SwitchSupervisorRoleRequestParams(TypedDict, total=False):
    role: Required[Literal["barge", "whisper", "monitor"]]


class CreateConferenceRequest(RequestModel):
    """Schema ``CreateConferenceRequest`` of spec3.yml."""

    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None = None
    call_control_id: str
    client_state: str | None = None
    comfort_noise: bool | None = None
    command_id: str | None = None
    duration_minutes: int | None = None
    hold_audio_url: str | None = None
    hold_media_name: str | None = None
    max_participants: int | None = None
    name: str
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None
    start_conference_on_create: bool | None = None


class CreateConferenceRequestParams(TypedDict, total=False):
    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None
    call_control_id: Required[str]
    client_state: str | None
    comfort_noise: bool | None
    command_id: str | None
    duration_minutes: int | None
    hold_audio_url: str | None
    hold_media_name: str | None
    max_participants: int | None
    name: Required[str]
    region: Literal["Australia", "Europe", "Middle East", "US"] | None
    start_conference_on_create: bool | None


class EndConferenceRequest(RequestModel):
    """Schema ``EndConferenceRequest`` of spec3.yml."""

    command_id: str | None = None


class EndConferenceRequestParams(TypedDict, total=False):
    command_id: str | None


class JoinConferenceRequest(RequestModel):
    """Schema ``JoinConferenceRequest`` of spec3.yml."""

    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None = None
    call_control_id: str
    client_state: str | None = None
    command_id: str | None = None
    end_conference_on_exit: bool | None = None
    hold: bool | None = None
    hold_audio_url: str | None = None
    hold_media_name: str | None = None
    mute: bool | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None
    soft_end_conference_on_exit: bool | None = None
    start_conference_on_enter: bool | None = None
    supervisor_role: Literal["barge", "monitor", "none", "whisper"] | None = None
    whisper_call_control_ids: list[str] | None = None


class JoinConferenceRequestParams(TypedDict, total=False):
    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None
    call_control_id: Required[str]
    client_state: str | None
    command_id: str | None
    end_conference_on_exit: bool | None
    hold: bool | None
    hold_audio_url: str | None
    hold_media_name: str | None
    mute: bool | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None
    soft_end_conference_on_exit: bool | None
    start_conference_on_enter: bool | None
    supervisor_role: Literal["barge", "monitor", "none", "whisper"] | None
    whisper_call_control_ids: list[str] | None


class LeaveConferenceRequest(RequestModel):
    """Schema ``LeaveConferenceRequest`` of spec3.yml."""

    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None = None
    call_control_id: str
    command_id: str | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class LeaveConferenceRequestParams(TypedDict, total=False):
    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None
    call_control_id: Required[str]
    command_id: str | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class ConferenceMuteRequest(RequestModel):
    """Schema ``ConferenceMuteRequest`` of spec3.yml."""

    call_control_ids: list[str] | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class ConferenceMuteRequestParams(TypedDict, total=False):
    call_control_ids: list[str] | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class ConferenceUnmuteRequest(RequestModel):
    """Schema ``ConferenceUnmuteRequest`` of spec3.yml."""

    call_control_ids: list[str] | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class ConferenceUnmuteRequestParams(TypedDict, total=False):
    call_control_ids: list[str] | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class ConferenceHoldRequest(RequestModel):
    """Schema ``ConferenceHoldRequest`` of spec3.yml."""

    audio_url: str | None = None
    call_control_ids: list[str] | None = None
    media_name: str | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class ConferenceHoldRequestParams(TypedDict, total=False):
    audio_url: str | None
    call_control_ids: list[str] | None
    media_name: str | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class ConferenceUnholdRequest(RequestModel):
    """Schema ``ConferenceUnholdRequest`` of spec3.yml."""

    call_control_ids: list[str]
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class ConferenceUnholdRequestParams(TypedDict, total=False):
    call_control_ids: Required[list[str]]
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class StartConferenceRecordingRequest(RequestModel):
    """Schema ``StartConferenceRecordingRequest`` of spec3.yml."""

    channels: Literal["single", "dual"] | None = None
    command_id: str | None = None
    custom_file_name: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    format: Literal["wav", "mp3"]
    play_beep: bool | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None
    trim: Literal["trim-silence"] | None = None


class StartConferenceRecordingRequestParams(TypedDict, total=False):
    channels: Literal["single", "dual"] | None
    command_id: str | None
    custom_file_name: str | None
    format: Required[Literal["wav", "mp3"]]
    play_beep: bool | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None
    trim: Literal["trim-silence"] | None


class StopRecordingConferenceRequest(RequestModel):
    """Schema ``StopRecordingConferenceRequest`` of spec3.yml."""

    client_state: str | None = None
    command_id: str | None = None
    recording_id: str | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class StopRecordingConferenceRequestParams(TypedDict, total=False):
    client_state: str | None
    command_id: str | None
    recording_id: str | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class PauseConferenceRecordingRequest(RequestModel):
    """Schema ``PauseConferenceRecordingRequest`` of spec3.yml."""

    command_id: str | None = None
    recording_id: str | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class PauseConferenceRecordingRequestParams(TypedDict, total=False):
    command_id: str | None
    recording_id: str | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class ResumeConferenceRecordingRequest(RequestModel):
    """Schema ``ResumeConferenceRecordingRequest`` of spec3.yml."""

    command_id: str | None = None
    recording_id: str | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class ResumeConferenceRecordingRequestParams(TypedDict, total=False):
    command_id: str | None
    recording_id: str | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class ConferenceSpeakRequest(RequestModel):
    """Schema ``ConferenceSpeakRequest`` of spec3.yml."""

    call_control_ids: list[str] | None = None
    command_id: str | None = None
    language: (
        Literal[
            "arb",
            "cmn-CN",
            "cy-GB",
            "da-DK",
            "de-DE",
            "en-AU",
            "en-GB",
            "en-GB-WLS",
            "en-IN",
            "en-US",
            "es-ES",
            "es-MX",
            "es-US",
            "fr-CA",
            "fr-FR",
            "hi-IN",
            "is-IS",
            "it-IT",
            "ja-JP",
            "ko-KR",
            "nb-NO",
            "nl-NL",
            "pl-PL",
            "pt-BR",
            "pt-PT",
            "ro-RO",
            "ru-RU",
            "sv-SE",
            "tr-TR",
        ]
        | None
    ) = None
    payload: str
    payload_type: Literal["text", "ssml"] | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None
    voice: str
    voice_settings: dict[str, Any] | None = None


class ConferenceSpeakRequestParams(TypedDict, total=False):
    call_control_ids: list[str] | None
    command_id: str | None
    language: (
        Literal[
            "arb",
            "cmn-CN",
            "cy-GB",
            "da-DK",
            "de-DE",
            "en-AU",
            "en-GB",
            "en-GB-WLS",
            "en-IN",
            "en-US",
            "es-ES",
            "es-MX",
            "es-US",
            "fr-CA",
            "fr-FR",
            "hi-IN",
            "is-IS",
            "it-IT",
            "ja-JP",
            "ko-KR",
            "nb-NO",
            "nl-NL",
            "pl-PL",
            "pt-BR",
            "pt-PT",
            "ro-RO",
            "ru-RU",
            "sv-SE",
            "tr-TR",
        ]
        | None
    )
    payload: Required[str]
    payload_type: Literal["text", "ssml"] | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None
    voice: Required[str]
    voice_settings: dict[str, Any] | None


class ConferencePlayRequest(RequestModel):
    """Schema ``ConferencePlayRequest`` of spec3.yml."""

    audio_url: str | None = None
    call_control_ids: list[str] | None = None
    loop: Literal["infinity"] | Annotated[int, Field(ge=1, le=100)] | None = None
    media_name: str | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class ConferencePlayRequestParams(TypedDict, total=False):
    audio_url: str | None
    call_control_ids: list[str] | None
    loop: Literal["infinity"] | int | None
    media_name: str | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class ConferenceStopRequest(RequestModel):
    """Schema ``ConferenceStopRequest`` of spec3.yml."""

    call_control_ids: list[str] | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None


class ConferenceStopRequestParams(TypedDict, total=False):
    call_control_ids: list[str] | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None


class ConferenceSendDTMFRequest(RequestModel):
    """Schema ``ConferenceSendDTMFRequest`` of spec3.yml."""

    call_control_ids: list[str] | None = None
    client_state: str | None = None
    digits: str
    duration_millis: Annotated[int, Field(ge=100, le=500)] | None = None


class ConferenceSendDTMFRequestParams(TypedDict, total=False):
    call_control_ids: list[str] | None
    client_state: str | None
    digits: Required[str]
    duration_millis: int | None


class UpdateConferenceRequest(RequestModel):
    """Schema ``UpdateConferenceRequest`` of spec3.yml."""

    call_control_id: str
    command_id: str | None = None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None = None
    supervisor_role: Literal["barge", "monitor", "none", "whisper"]
    whisper_call_control_ids: list[str] | None = None


class UpdateConferenceRequestParams(TypedDict, total=False):
    call_control_id: Required[str]
    command_id: str | None
    region: Literal["Australia", "Europe", "Middle East", "US"] | None
    supervisor_role: Required[Literal["barge", "monitor", "none", "whisper"]]
    whisper_call_control_ids: list[str] | None


class UpdateConferenceParticipantRequest(RequestModel):
    """Schema ``UpdateConferenceParticipantRequest`` of spec3.yml."""

    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None = None
    end_conference_on_exit: bool | None = None
    soft_end_conference_on_exit: bool | None = None


class UpdateConferenceParticipantRequestParams(TypedDict, total=False):
    beep_enabled: Literal["always", "never", "on_enter", "on_exit"] | None
    end_conference_on_exit: bool | None
    soft_end_conference_on_exit: bool | None


class CreateQueueRequest(RequestModel):
    """Schema ``CreateQueueRequest`` of spec3.yml."""

    max_size: Annotated[int, Field(ge=1)] | None = None
    queue_name: Annotated[str, Field(min_length=1, max_length=255)]


class CreateQueueRequestParams(TypedDict, total=False):
    max_size: int | None
    queue_name: Required[str]


class UpdateQueueRequest(RequestModel):
    """Schema ``UpdateQueueRequest`` of spec3.yml."""

    max_size: Annotated[int, Field(ge=1)]


class UpdateQueueRequestParams(TypedDict, total=False):
    max_size: Required[int]


class UpdateQueuedCallRequest(RequestModel):
    """Schema ``UpdateQueuedCallRequest`` of spec3.yml."""

    keep_after_hangup: bool | None = None


class UpdateQueuedCallRequestParams(TypedDict, total=False):
    keep_after_hangup: bool | None


class CreateCallControlApplicationRequest(RequestModel):
    """Schema ``CreateCallControlApplicationRequest`` of spec3.yml."""

    active: bool | None = None
    anchorsite_override: (
        Literal[
            "Latency",
            "Chicago, IL",
            "Ashburn, VA",
            "San Jose, CA",
            "London, UK",
            "Chennai, IN",
            "Amsterdam, Netherlands",
            "Toronto, Canada",
            "Sydney, Australia",
        ]
        | None
    ) = None
    application_name: str
    call_cost_in_webhooks: bool | None = None
    dtmf_type: Literal["RFC 2833", "Inband", "SIP INFO"] | None = None
    first_command_timeout: bool | None = None
    first_command_timeout_secs: int | None = None
    inbound: CallControlApplicationInbound | None = None
    outbound: CallControlApplicationOutbound | None = None
    redact_dtmf_debug_logging: bool | None = None
    webhook_api_version: Literal["1", "2"] | None = None
    webhook_event_failover_url: str | None | None = None
    webhook_event_url: str
    webhook_timeout_secs: Annotated[int, Field(ge=0, le=30)] | None | None = None


class CreateCallControlApplicationRequestParams(TypedDict, total=False):
    active: bool | None
    anchorsite_override: (
        Literal[
            "Latency",
            "Chicago, IL",
            "Ashburn, VA",
            "San Jose, CA",
            "London, UK",
            "Chennai, IN",
            "Amsterdam, Netherlands",
            "Toronto, Canada",
            "Sydney, Australia",
        ]
        | None
    )
    application_name: Required[str]
    call_cost_in_webhooks: bool | None
    dtmf_type: Literal["RFC 2833", "Inband", "SIP INFO"] | None
    first_command_timeout: bool | None
    first_command_timeout_secs: int | None
    inbound: CallControlApplicationInbound | dict[str, Any] | None
    outbound: CallControlApplicationOutbound | dict[str, Any] | None
    redact_dtmf_debug_logging: bool | None
    webhook_api_version: Literal["1", "2"] | None
    webhook_event_failover_url: str | None | None
    webhook_event_url: Required[str]
    webhook_timeout_secs: int | None | None


class UpdateCallControlApplicationRequest(RequestModel):
    """Schema ``UpdateCallControlApplicationRequest`` of spec3.yml."""

    active: bool | None = None
    anchorsite_override: (
        Literal[
            "Latency",
            "Chicago, IL",
            "Ashburn, VA",
            "San Jose, CA",
            "London, UK",
            "Chennai, IN",
            "Amsterdam, Netherlands",
            "Toronto, Canada",
            "Sydney, Australia",
        ]
        | None
    ) = None
    application_name: str
    call_cost_in_webhooks: bool | None = None
    dtmf_type: Literal["RFC 2833", "Inband", "SIP INFO"] | None = None
    first_command_timeout: bool | None = None
    first_command_timeout_secs: int | None = None
    inbound: CallControlApplicationInbound | None = None
    outbound: CallControlApplicationOutbound | None = None
    redact_dtmf_debug_logging: bool | None = None
    tags: list[str] | None = None
    webhook_api_version: Literal["1", "2"] | None = None
    webhook_event_failover_url: str | None | None = None
    webhook_event_url: str
    webhook_timeout_secs: Annotated[int, Field(ge=0, le=30)] | None | None = None


class UpdateCallControlApplicationRequestParams(TypedDict, total=False):
    active: bool | None
    anchorsite_override: (
        Literal[
            "Latency",
            "Chicago, IL",
            "Ashburn, VA",
            "San Jose, CA",
            "London, UK",
            "Chennai, IN",
            "Amsterdam, Netherlands",
            "Toronto, Canada",
            "Sydney, Australia",
        ]
        | None
    )
    application_name: Required[str]
    call_cost_in_webhooks: bool | None
    dtmf_type: Literal["RFC 2833", "Inband", "SIP INFO"] | None
    first_command_timeout: bool | None
    first_command_timeout_secs: int | None
    inbound: CallControlApplicationInbound | dict[str, Any] | None
    outbound: CallControlApplicationOutbound | dict[str, Any] | None
    redact_dtmf_debug_logging: bool | None
    tags: list[str] | None
    webhook_api_version: Literal["1", "2"] | None
    webhook_event_failover_url: str | None | None
    webhook_event_url: Required[str]
    webhook_timeout_secs: int | None | None


REQUEST_MODELS: dict[str, type[RequestModel]] = {
    "CallRequest": CallRequest,
    "AnswerRequest": AnswerRequest,
    "RejectRequest": RejectRequest,
    "HangupRequest": HangupRequest,
    "TransferCallRequest": TransferCallRequest,
    "BridgeRequest": BridgeRequest,
    "ReferRequest": ReferRequest,
    "SendSIPInfoRequest": SendSIPInfoRequest,
    "StartRecordingRequest": StartRecordingRequest,
    "StopRecordingRequest": StopRecordingRequest,
    "PauseRecordingRequest": PauseRecordingRequest,
    "ResumeRecordingRequest": ResumeRecordingRequest,
    "PlayAudioUrlRequest": PlayAudioUrlRequest,
    "PlaybackStopRequest": PlaybackStopRequest,
    "SpeakRequest": SpeakRequest,
    "SendDTMFRequest": SendDTMFRequest,
    "GatherUsingAudioRequest": GatherUsingAudioRequest,
    "EnqueueRequest": EnqueueRequest,
    "LeaveQueueRequest": LeaveQueueRequest,
    "StartStreamingRequest": StartStreamingRequest,
    "StopStreamingRequest": StopStreamingRequest,
    "ClientStateUpdateRequest": ClientStateUpdateRequest,
    "SwitchSupervisorRoleRequest": SwitchSupervisorRoleRequest,
    "CreateConferenceRequest": CreateConferenceRequest,
    "EndConferenceRequest": EndConferenceRequest,
    "JoinConferenceRequest": JoinConferenceRequest,
    "LeaveConferenceRequest": LeaveConferenceRequest,
    "ConferenceMuteRequest": ConferenceMuteRequest,
    "ConferenceUnmuteRequest": ConferenceUnmuteRequest,
    "ConferenceHoldRequest": ConferenceHoldRequest,
    "ConferenceUnholdRequest": ConferenceUnholdRequest,
    "StartConferenceRecordingRequest": StartConferenceRecordingRequest,
    "StopRecordingConferenceRequest": StopRecordingConferenceRequest,
    "PauseConferenceRecordingRequest": PauseConferenceRecordingRequest,
    "ResumeConferenceRecordingRequest": ResumeConferenceRecordingRequest,
    "ConferenceSpeakRequest": ConferenceSpeakRequest,
    "ConferencePlayRequest": ConferencePlayRequest,
    "ConferenceStopRequest": ConferenceStopRequest,
    "ConferenceSendDTMFRequest": ConferenceSendDTMFRequest,
    "UpdateConferenceRequest": UpdateConferenceRequest,
    "UpdateConferenceParticipantRequest": UpdateConferenceParticipantRequest,
    "CreateQueueRequest": CreateQueueRequest,
    "UpdateQueueRequest": UpdateQueueRequest,
    "UpdateQueuedCallRequest": UpdateQueuedCallRequest,
    "CreateCallControlApplicationRequest": CreateCallControlApplicationRequest,
    "UpdateCallControlApplicationRequest": UpdateCallControlApplicationRequest,
}
