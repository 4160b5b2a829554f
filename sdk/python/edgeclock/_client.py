"""The clients, sync (:class:`Client`) and async (:class:`AsyncClient`), on httpx: auth,
retries, idempotency keys, auto-pagination, and the resource methods generated from the API's
OpenAPI document (``_operations.py``). Both share everything but the sending."""

import asyncio
import json
import os
import time
import uuid
from typing import Any, AsyncIterator, Dict, Iterator, List, Optional, Tuple
from urllib.parse import quote

import httpx

from ._errors import ConnectionError, EdgeclockError
from ._operations import OPERATIONS, Operation
from ._retry import RETRY_STATUSES, RetryPolicy, next_delay, retry_after

WRITES = {"POST", "PATCH", "PUT", "DELETE"}
DEFAULT_BASE_URL = "http://127.0.0.1:8787"


def _query_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ",".join(_query_value(x) for x in v)
    return str(v)


class _Base:
    def __init__(
        self,
        api_key: Optional[str],
        base_url: Optional[str],
        tenant_id: Optional[str],
        retry: Optional[RetryPolicy],
        headers: Optional[Dict[str, str]],
    ) -> None:
        self.api_key = api_key or os.environ.get("EDGECLOCK_API_KEY")
        if not self.api_key:
            raise ValueError("an API key is needed: pass api_key or set EDGECLOCK_API_KEY")
        self.base_url = (base_url or os.environ.get("EDGECLOCK_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.tenant_id = tenant_id
        self.retry = retry or RetryPolicy()
        self.headers = dict(headers or {})
        namespaces: Dict[str, _Resource] = {}
        for op_id, op in OPERATIONS.items():
            namespaces.setdefault(op.resource, _Resource(self)).bind(op.action, op_id, op)
        for name, resource in namespaces.items():
            setattr(self, name, resource)

    def _prepare(
        self, method: str, path: str, query: Optional[Dict[str, Any]], body: Any, idempotency_key: Optional[str]
    ) -> Tuple[str, Dict[str, str], Optional[bytes]]:
        headers = {"Accept": "application/json", **self.headers, "Authorization": f"Bearer {self.api_key}"}
        if self.tenant_id:
            headers["Edgeclock-Tenant-Id"] = self.tenant_id
        content = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(body).encode()
        if method in WRITES:
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        params = {k: _query_value(v) for k, v in (query or {}).items() if v is not None}
        url = self.base_url + path
        if params:
            url += "?" + "&".join(f"{quote(k)}={quote(v, safe=',')}" for k, v in params.items())
        return url, headers, content

    def _delay(self, attempt: int, started: float, response: Optional[httpx.Response]) -> Optional[float]:
        """The wait before trying again after a network error (no ``response``) or an answer;
        ``None``: stop (raise the error, or return the answer)."""
        if response is not None and response.status_code not in RETRY_STATUSES:
            return None
        after = retry_after(response.headers.get("retry-after")) if response is not None else None
        return next_delay(self.retry, attempt, time.monotonic() - started, after)

    @staticmethod
    def _answer(response: httpx.Response) -> Any:
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.text
        if response.is_error:
            raise EdgeclockError(response.status_code, body, response.headers.get("x-request-id"))
        return body

    @staticmethod
    def _path(op: Operation, params: Tuple[Any, ...]) -> str:
        if len(params) != len(op.params):
            raise TypeError(f"{op.path} takes {len(op.params)} path parameter(s): {', '.join(op.params) or 'none'}")
        path = op.path
        for name, value in zip(op.params, params):
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        return path


class _Resource:
    """One resource's methods (``list``, ``get``, ``create``, ``update``, ``delete`` and its actions)."""

    def __init__(self, client: _Base) -> None:
        self._client = client

    def bind(self, action: str, op_id: str, op: Operation) -> None:
        client = self._client

        def method(*params: Any, body: Any = None, idempotency_key: Optional[str] = None, **query: Any) -> Any:
            # `create(body)` / `update(id, body)`: a body may come as the last positional argument.
            if op.method != "GET" and len(params) == len(op.params) + 1:
                body, params = params[-1], params[:-1]
            if op.paginated:
                return client._paginator(op, params, query)  # type: ignore[attr-defined]
            return client._call(op, params, query, body, idempotency_key)  # type: ignore[attr-defined]

        method.__name__ = action
        method.__doc__ = f"{op.method} {op.path} ({op_id})"
        setattr(self, action, method)


class Paginator:
    """Every item of a list, page after page (``for item in client.workers.list()``)."""

    def __init__(self, client: "Client", op: Operation, params: Tuple[Any, ...], query: Dict[str, Any]) -> None:
        self._client, self._op, self._params, self._query = client, op, params, query

    def page(self, cursor: Optional[str] = None) -> Dict[str, Any]:
        """One page: ``{"data": [...], "meta": {"next_cursor": …, "has_more": …}}``."""
        query = {**self._query, "cursor": cursor} if cursor else self._query
        return self._client._send(self._op.method, _Base._path(self._op, self._params), query, None, None)

    def __iter__(self) -> Iterator[Any]:
        cursor = self._query.get("cursor")
        while True:
            page = self.page(cursor)
            yield from page["data"]
            cursor = page["meta"].get("next_cursor")
            if not cursor:
                return


class AsyncPaginator:
    """Every item of a list, page after page (``async for item in client.workers.list()``)."""

    def __init__(self, client: "AsyncClient", op: Operation, params: Tuple[Any, ...], query: Dict[str, Any]) -> None:
        self._client, self._op, self._params, self._query = client, op, params, query

    async def page(self, cursor: Optional[str] = None) -> Dict[str, Any]:
        query = {**self._query, "cursor": cursor} if cursor else self._query
        return await self._client._send(self._op.method, _Base._path(self._op, self._params), query, None, None)

    async def __aiter__(self) -> AsyncIterator[Any]:
        cursor = self._query.get("cursor")
        while True:
            page = await self.page(cursor)
            for item in page["data"]:
                yield item
            cursor = page["meta"].get("next_cursor")
            if not cursor:
                return

    async def all(self) -> List[Any]:
        return [item async for item in self]


def _sync_result(items: List[Any], tombstones: List[Any], since: str, o: Dict[str, Any]) -> str:
    (tombstones if o.get("deleted") else items).append(o)
    at = o.get("deleted_at") if o.get("deleted") else o.get("updated_at")
    return at if at and at > since else since


class Client(_Base):
    """The API, synchronously. ``api_key`` defaults to ``EDGECLOCK_API_KEY``, ``base_url`` to
    ``EDGECLOCK_BASE_URL`` (else ``http://127.0.0.1:8787``); ``tenant_id`` is a vendor key's
    ``Edgeclock-Tenant-Id``; ``http_client`` an ``httpx.Client`` of your own (hooks, proxies)."""

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        tenant_id: Optional[str] = None,
        retry: Optional[RetryPolicy] = None,
        headers: Optional[Dict[str, str]] = None,
        http_client: Optional[httpx.Client] = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(api_key, base_url, tenant_id, retry, headers)
        self._http = http_client or httpx.Client(timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _paginator(self, op: Operation, params: Tuple[Any, ...], query: Dict[str, Any]) -> Paginator:
        return Paginator(self, op, params, query)

    def _call(self, op: Operation, params: Tuple[Any, ...], query: Dict[str, Any], body: Any, key: Optional[str]) -> Any:
        answer = self._send(op.method, self._path(op, params), query, body, key)
        return answer.get("data") if isinstance(answer, dict) and "data" in answer else answer

    def call(self, operation_id: str, *params: Any, body: Any = None, idempotency_key: Optional[str] = None, **query: Any) -> Any:
        """Calls any operation by its operationId; answers the whole envelope."""
        op = OPERATIONS[operation_id]
        return self._send(op.method, self._path(op, params), query, body, idempotency_key)

    def _send(self, method: str, path: str, query: Optional[Dict[str, Any]], body: Any, key: Optional[str]) -> Any:
        url, headers, content = self._prepare(method, path, query, body, key)
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.request(method, url, headers=headers, content=content)
            except httpx.TransportError as e:
                delay = self._delay(attempt, started, None)
                if delay is None:
                    raise ConnectionError(str(e)) from e
            else:
                delay = self._delay(attempt, started, response)
                if delay is None:
                    return self._answer(response)
            time.sleep(delay)

    def sync(self, resource: str, since: str, **query: Any) -> Dict[str, Any]:
        """Every object of ``resource`` changed at or after ``since`` (RFC 3339), deletions
        included: ``{"items", "tombstones", "synced_at"}``; pass ``synced_at`` (the latest change
        seen, by the server's clock) as the next ``since``."""
        items: List[Any] = []
        tombstones: List[Any] = []
        synced_at = since
        for o in getattr(self, resource).list(**query, updated_since=since, include_deleted=True):
            synced_at = max(synced_at, _sync_result(items, tombstones, since, o))
        return {"items": items, "tombstones": tombstones, "synced_at": synced_at}


class AsyncClient(_Base):
    """The API, asynchronously (the same methods as :class:`Client`, awaited)."""

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        tenant_id: Optional[str] = None,
        retry: Optional[RetryPolicy] = None,
        headers: Optional[Dict[str, str]] = None,
        http_client: Optional[httpx.AsyncClient] = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(api_key, base_url, tenant_id, retry, headers)
        self._http = http_client or httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def _paginator(self, op: Operation, params: Tuple[Any, ...], query: Dict[str, Any]) -> AsyncPaginator:
        return AsyncPaginator(self, op, params, query)

    async def _call(self, op: Operation, params: Tuple[Any, ...], query: Dict[str, Any], body: Any, key: Optional[str]) -> Any:
        answer = await self._send(op.method, self._path(op, params), query, body, key)
        return answer.get("data") if isinstance(answer, dict) and "data" in answer else answer

    async def call(self, operation_id: str, *params: Any, body: Any = None, idempotency_key: Optional[str] = None, **query: Any) -> Any:
        op = OPERATIONS[operation_id]
        return await self._send(op.method, self._path(op, params), query, body, idempotency_key)

    async def _send(self, method: str, path: str, query: Optional[Dict[str, Any]], body: Any, key: Optional[str]) -> Any:
        url, headers, content = self._prepare(method, path, query, body, key)
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.request(method, url, headers=headers, content=content)
            except httpx.TransportError as e:
                delay = self._delay(attempt, started, None)
                if delay is None:
                    raise ConnectionError(str(e)) from e
            else:
                delay = self._delay(attempt, started, response)
                if delay is None:
                    return self._answer(response)
            await asyncio.sleep(delay)

    async def sync(self, resource: str, since: str, **query: Any) -> Dict[str, Any]:
        items: List[Any] = []
        tombstones: List[Any] = []
        synced_at = since
        async for o in getattr(self, resource).list(**query, updated_since=since, include_deleted=True):
            synced_at = max(synced_at, _sync_result(items, tombstones, since, o))
        return {"items": items, "tombstones": tombstones, "synced_at": synced_at}
