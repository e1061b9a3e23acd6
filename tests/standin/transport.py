"""The stand-in's transport: the aiohttp app, routing a request to its method, parsing
JSON, form and multipart bodies, serving files, and posting updates to a webhook."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import traceback
from types import TracebackType
from typing import Any, Self

from aiohttp import BodyPartReader, ClientError, ClientSession, ClientTimeout, web

from .api import MAX_UPLOAD_SIZE
from .faults import Faults
from .model import (
    ApiCall,
    ApiError,
    Handler,
    JSONDict,
    Upload,
    WebhookDelivery,
    bad_request,
)

# Form fields that Telegram reads as strings even when they look like JSON ("123", "true").
_STRING_FIELDS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "inline_message_id", "description",
        "short_description", "name", "language_code", "action", "url", "secret_token",
        "ip_address", "file_id", "document", "photo", "video", "audio", "voice", "animation",
        "thumbnail", "business_connection_id", "message_effect_id", "emoji", "title",
    }
)  # fmt: skip
_LOG = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# How long Telegram waits for the webhook to answer, and how long before it tries an update
# again after a failed delivery (both in Telegram's time: divided by ``speed``).
WEBHOOK_TIMEOUT = 60.0
WEBHOOK_RETRY_SECONDS = 2.0


class Transport(Faults):
    """Serve the Bot API over HTTP and deliver updates to a webhook.

    A layer of :class:`~tests.standin.server.BotApiStandin` (see state.py).
    """

    def _method_table(self) -> dict[str, Handler]:
        """Return the Bot API methods the stand-in answers, by name."""
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": self._return_true,
            "close": self._return_true,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendMediaGroup": self._send_media_group,
            "getFile": self._get_file,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "setMyDescription": self._profile_setter("description", 512),
            "getMyDescription": self._profile_getter("description"),
            "setMyShortDescription": self._profile_setter("short_description", 120),
            "getMyShortDescription": self._profile_getter("short_description"),
            "setMyName": self._profile_setter("name", 64),
            "getMyName": self._profile_getter("name"),
        }

    # ------------------------------------------------------------------ lifecycle
    async def start(self, port: int = 0) -> None:
        """Bind 127.0.0.1 on ``port`` (a free one by default) and start serving."""
        app = web.Application(client_max_size=MAX_UPLOAD_SIZE + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/file/bot{token}/{file_path:.+}", self._handle_file)
        # handler_cancellation: a client that hangs up (read timeout) cancels its handler, so
        # an injected "timeout" never completes behind the bot's back.
        runner = web.AppRunner(
            app,
            access_log=None,
            handle_signals=False,
            shutdown_timeout=2.0,
            handler_cancellation=True,
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self._url = f"http://{host}:{port}"

    async def stop(self) -> None:
        """Release held requests (long polls, injected timeouts) and shut the server down."""
        self._closing.set()
        self._notify()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        for task in self._webhook_tasks:
            task.cancel()
        await asyncio.gather(*self._webhook_tasks, return_exceptions=True)
        self._webhook_tasks.clear()
        if self._webhook_client is not None:
            client, self._webhook_client = self._webhook_client, None
            await client.close()

    async def __aenter__(self) -> Self:
        """Start the server for an ``async with`` block."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server at the end of an ``async with`` block."""
        await self.stop()

    @property
    def url(self) -> str:
        """Return the server root, e.g. ``http://127.0.0.1:PORT``."""
        if self._url is None:
            raise RuntimeError("BotApiStandin.start() has not been awaited")
        return self._url

    @property
    def base_url(self) -> str:
        """Return what PTB's ``base_url`` must be (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Return what PTB's ``base_file_url`` must be (PTB appends the token)."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ HTTP layer
    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        raw_method = request.match_info["method"]
        method = self._method_names.get(raw_method.lower(), raw_method)
        call = ApiCall(method=method, params={}, at=time.monotonic())
        self._calls.append(call)  # in arrival order; status stays 0 while in flight
        polling = method == "getUpdates"
        if not polling:
            self._inflight += 1
            self._touch()
        response: web.StreamResponse | None = None
        try:
            response = await self._dispatch(request, method, call)
            return response
        except asyncio.CancelledError:
            call.status = 499  # the client hung up before we answered
            raise
        finally:
            if response is not None:
                call.status = response.status
            if not polling:
                self._inflight -= 1
                self._touch()
            self._notify()

    async def _dispatch(self, request: web.Request, method: str, call: ApiCall) -> web.Response:
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            handler = self._handlers.get(method)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            params, files = await self._read_params(request)
            call.params = params
            call.files = {name: upload.filename or "" for name, upload in files.items()}
            fault = self._take_fault(method, params) or self._draw_fault(method)
            if fault is not None:
                call.fault = fault.kind
                if fault.kind != "slow":
                    return await self._apply_fault(fault, call)
            result = await handler(params, files)
            if fault is not None:
                # Performed (the user sees it), but the answer is late: a client that hangs
                # up or stops now never learns that it went through.
                await self._hold(fault.delay)
        except ApiError as error:
            call.response = error.payload()
            return web.json_response(call.response, status=error.status)
        except Exception:
            # A stand-in bug must not look like a Telegram answer: record it for the tests.
            self.internal_errors.append(f"{method}: {traceback.format_exc()}")
            _LOG.exception("stand-in failed handling %s", method)
            call.response = {
                "ok": False,
                "error_code": 500,
                "description": "Internal Server Error (stand-in bug)",
            }
            return web.json_response(call.response, status=500)
        call.response = {"ok": True, "result": result}
        return web.json_response(call.response)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self._files_by_path.get(request.match_info["file_path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.content, content_type="application/octet-stream")

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, Upload]]:
        """Decode query string, urlencoded, JSON or multipart bodies into typed parameters."""
        raw: dict[str, str] = dict(request.query)
        typed: JSONDict = {}
        files: dict[str, Upload] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON request body") from None
                if not isinstance(body, dict):
                    raise bad_request("request body must be a JSON object")
                typed.update(body)
            elif request.content_type.startswith("multipart/"):
                reader = await request.multipart()
                while (part := await reader.next()) is not None:
                    if not isinstance(part, BodyPartReader) or part.name is None:
                        continue
                    if part.filename is not None:
                        data = bytes(await part.read(decode=False))
                        files[part.name] = Upload(
                            part.filename, part.headers.get("Content-Type"), data
                        )
                    else:
                        raw[part.name] = await part.text()
            else:
                form = await request.post()
                raw.update({k: v for k, v in form.items() if isinstance(v, str)})
        params = {name: _decode_field(name, value) for name, value in raw.items()}
        params.update(typed)
        return params, files

    # ------------------------------------------------------------------ webhook delivery
    @property
    def webhook(self) -> JSONDict | None:
        """Return what setWebhook was given (url, secret_token ...), None without a webhook."""
        return dict(self._webhook) if self._webhook is not None else None

    async def post_to_webhook(self, body: JSONDict, *, secret: str | None) -> int:
        """POST ``body`` to the bot's webhook as someone else than Telegram could; return the
        HTTP status the bot answered.

        ``secret`` is the X-Telegram-Bot-Api-Secret-Token header to send (None: none at all),
        to prove the bot refuses a request that lacks Telegram's secret.
        """
        if self._webhook is None:
            raise AssertionError("the bot has not set a webhook")
        status, _ = await self._post_webhook(body, secret)
        return status

    def _start_webhook_delivery(self, connections: int) -> None:
        """Deliver updates with up to ``connections`` requests at once, as Telegram does."""
        self._webhook_generation += 1
        self._webhook_tasks = [task for task in self._webhook_tasks if not task.done()]
        self._webhook_last_error = None
        for _ in range(connections):
            task = asyncio.create_task(self._webhook_worker(self._webhook_generation))
            self._webhook_tasks.append(task)
        self._notify()

    async def _webhook_worker(self, generation: int) -> None:
        loop = asyncio.get_running_loop()
        while generation == self._webhook_generation and not self._closing.is_set():
            update = self._next_for_webhook(loop.time())
            if update is None:
                await self._wait_changed(self._until_next_retry(loop.time()))
                continue
            await self._deliver_to_webhook(update)

    def _next_for_webhook(self, now: float) -> JSONDict | None:
        """Return the oldest update nobody is posting; None while it waits for its retry.

        Updates go out in order: a failed one is tried again before any later one starts.
        """
        for update in self._deliverable(len(self._updates)):
            update_id = update["update_id"]
            if update_id in self._webhook_inflight:
                continue
            if self._webhook_retry_at.get(update_id, 0.0) > now:
                return None
            return update
        return None

    def _until_next_retry(self, now: float) -> float:
        waiting = [at - now for at in self._webhook_retry_at.values() if at > now]
        return max(min(waiting, default=1.0), 0.001)

    async def _deliver_to_webhook(self, update: JSONDict) -> None:
        update_id = update["update_id"]
        self._webhook_inflight.add(update_id)
        self._inflight += 1
        self._touch()
        try:
            status, error = await self._post_webhook(
                update, (self._webhook or {}).get("secret_token")
            )
        finally:
            self._webhook_inflight.discard(update_id)
            self._inflight -= 1
            self._touch()
        self.webhook_deliveries.append(WebhookDelivery(update_id, status, error, time.monotonic()))
        if 200 <= status < 300:
            self._updates = [u for u in self._updates if u["update_id"] != update_id]
            self._delivered_upto = max(self._delivered_upto, update_id)
            self._webhook_retry_at.pop(update_id, None)
        else:
            self._webhook_last_error = (
                int(time.time()),
                error or f"Wrong response from the webhook: {status}",
            )
            retry = asyncio.get_running_loop().time() + WEBHOOK_RETRY_SECONDS / self.speed
            self._webhook_retry_at[update_id] = retry
        self._notify()

    async def _post_webhook(self, body: JSONDict, secret: str | None) -> tuple[int, str | None]:
        """POST ``body`` as JSON to the webhook; return the status (0: no answer) and error."""
        assert self._webhook is not None
        if self._webhook_client is None:
            self._webhook_client = ClientSession()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = str(secret)
        try:
            async with self._webhook_client.post(
                str(self._webhook["url"]),
                data=json.dumps(body),
                headers=headers,
                timeout=ClientTimeout(total=WEBHOOK_TIMEOUT / self.speed),
            ) as response:
                await response.read()
                return response.status, None
        except ClientError as exc:
            return 0, f"Connection failed: {exc}"
        except TimeoutError:
            return 0, "Read timeout expired"


def _decode_field(name: str, value: str) -> Any:
    """Decode one form field: PTB JSON-encodes everything except plain strings."""
    if name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
