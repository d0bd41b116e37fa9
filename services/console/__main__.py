"""`python -m services.console`: the console on TDKT_HOST:TDKT_CONSOLE_PORT."""

import logging

import uvicorn

from services.console.bootstrap import build_app
from shared.kernel.settings import ConsoleSettings

settings = ConsoleSettings()
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
if settings.console_dev_sign_in:
    logging.getLogger("tdkt.console").warning(
        "the development sign-in page is on: anyone who reaches the console can pick who they are"
    )
uvicorn.run(build_app(settings), host=settings.host, port=settings.port, log_level="warning")
