"""Child process for the crash test: start the tunnel, report the agent, then wait to be killed."""

import asyncio
import json
import sys
from pathlib import Path

from console.tunnel import NgrokTunnel


async def main(state_dir: str, ngrok_path: str) -> None:
    tunnel = NgrokTunnel(
        "fake-authtoken-0123456789",
        state_dir=Path(state_dir),
        ngrok_path=ngrok_path,
        watchdog_interval=3600,
    )
    url = await tunnel.start(8765)
    print(json.dumps({"url": url, "agent_pid": tunnel.agent_pid}), flush=True)
    await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
