"""What the console answers when a page cannot be shown: not found, sign in first (back to the
page asked for afterwards), a form refused, a service's refusal, an address or form the pages
do not take, and an unexpected error (logged, and an error page)."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.console.adapters.services import ServiceError
from services.console.entrypoints import common

log = logging.getLogger("tdkt.console")


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(common.NotFoundPage)
    async def not_found(request: Request, exc: common.NotFoundPage) -> Response:
        return common.not_found(request)

    @app.exception_handler(common.SignInNeeded)
    async def sign_in(request: Request, exc: common.SignInNeeded) -> Response:
        if request.method == "GET" and request.url.path != "/":
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return common.redirect("/dang-nhap?" + urlencode({"next": back}))
        return common.redirect("/dang-nhap")

    @app.exception_handler(common.CsrfRefused)
    async def csrf(request: Request, exc: common.CsrfRefused) -> Response:
        return common.error_page(
            request,
            403,
            "Biểu mẫu không hợp lệ",
            "Biểu mẫu đã hết hạn hoặc không gửi từ trang của hệ thống, nên chưa có gì được lưu. "
            "Mở lại trang và gửi lại.",
        )

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        return common.service_error_page(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return common.not_found(request)
        if exc.status_code == 405:
            return common.error_page(request, 405, "Không thực hiện được", "Trang này không nhận yêu cầu đó.")
        return common.error_page(request, exc.status_code, "Không thực hiện được", "Yêu cầu không hợp lệ.")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
        return common.error_page(
            request,
            500,
            "Đã có lỗi",
            "Hệ thống gặp lỗi khi xử lý yêu cầu. Thử lại; nếu vẫn lỗi, báo quản trị.",
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return common.error_page(
            request, 400, "Địa chỉ không hợp lệ", "Địa chỉ hoặc biểu mẫu có giá trị không hợp lệ."
        )
