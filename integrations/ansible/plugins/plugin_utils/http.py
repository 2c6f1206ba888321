# -*- coding: utf-8 -*-
# Copyright (c) BatchSource maintainers
# MIT License (see LICENSE)
"""JSON over HTTP(S) for the collection's plugins, on the standard library only.

Bounded timeouts, retries with exponential backoff and jitter on connection errors, timeouts,
429 and 5xx (bounded in count and in total time), no redirects (a redirect would carry the
bearer token to another address), and error messages that never contain the token.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import ssl
import time
import urllib.error
import urllib.request


class RequestError(Exception):
    """A request that failed for good. `status` is the HTTP status, None when nothing answered."""

    def __init__(self, message, status=None, code=None):
        super(RequestError, self).__init__(message)
        self.status = status
        self.code = code


class _Retryable(Exception):
    def __init__(self, message, status=None, retry_after=None):
        super(_Retryable, self).__init__(message)
        self.status = status
        self.retry_after = retry_after


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _error_message(status, body):
    """The service's `{"error": {"code", "message"}}`, AWX's `{"detail": ...}` or a snippet."""
    try:
        parsed = json.loads(body.decode('utf-8', 'replace'))
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        error = parsed.get('error')
        if isinstance(error, dict) and 'message' in error:
            return '%s (HTTP %d %s)' % (error.get('message'), status, error.get('code', '')), error.get('code')
        if 'detail' in parsed:
            return '%s (HTTP %d)' % (parsed['detail'], status), None
        return '%s (HTTP %d)' % (json.dumps(parsed)[:300], status), None
    snippet = body.decode('utf-8', 'replace').strip()[:200]
    return 'HTTP %d%s' % (status, (': ' + snippet) if snippet else ''), None


class JSONClient(object):
    """One service: its base URL, bearer token and TLS settings."""

    def __init__(self, base_url, token, ca_file=None, verify_tls=True, timeout=30.0, retries=5, retry_time=60.0,
                 user_agent='batchsource.rollout', sleep=time.sleep):
        self.base_url = base_url.rstrip('/')
        self._token = token
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.retry_time = float(retry_time)
        self.user_agent = user_agent
        self._sleep = sleep
        if verify_tls:
            context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        else:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirects())

    def redact(self, text):
        """The text with the token replaced, for anything that might echo a request."""
        text = str(text)
        return text.replace(self._token, '***') if self._token else text

    def request(self, method, path, body=None, doing='request', retry_unsafe=True):
        """Sends one JSON request and returns the parsed answer.

        `retry_unsafe` False: only failures where the server cannot have acted (no connection,
        503) are retried, for requests that are not safe to repeat.
        """
        url = self.base_url + path
        data = None if body is None else json.dumps(body).encode('utf-8')
        started = time.monotonic()
        delay = 0.5
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(method, url, data, retry_unsafe)
            except _Retryable as failure:
                elapsed = time.monotonic() - started
                pause = failure.retry_after if failure.retry_after is not None else delay * random.uniform(0.5, 1.0)
                pause = min(pause, 30.0)
                if attempt > self.retries or elapsed + pause > self.retry_time:
                    raise RequestError('%s: %s (after %d attempts)' % (doing, self.redact(failure), attempt), status=failure.status)
                self._sleep(pause)
                delay = min(delay * 2, 10.0)
            except RequestError as failure:
                raise RequestError('%s: %s' % (doing, self.redact(failure)), status=failure.status, code=failure.code)

    def _once(self, method, url, data, retry_unsafe):
        request = urllib.request.Request(url, data=data, method=method)
        if self._token:
            request.add_header('Authorization', 'Bearer ' + self._token)
        request.add_header('Accept', 'application/json')
        request.add_header('User-Agent', self.user_agent)
        if data is not None:
            request.add_header('Content-Type', 'application/json')
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as answer:
            status = answer.code
            message, code = _error_message(status, answer.read() or b'')
            if 300 <= status < 400:
                raise RequestError('%s answered a redirect (HTTP %d) to %s; use the final address' % (self.base_url, status, answer.headers.get('Location', '?')),
                                   status=status)
            retry_after = answer.headers.get('Retry-After')
            retry_after = float(retry_after) if retry_after and retry_after.isdigit() else None
            if status == 503 or (retry_unsafe and (status >= 500 or status == 429)):
                raise _Retryable(message, status=status, retry_after=retry_after)
            raise RequestError(message, status=status, code=code)
        except urllib.error.URLError as failure:
            reason = failure.reason
            if isinstance(reason, ssl.SSLError):
                raise RequestError('TLS with %s failed: %s (see BATCH_SOURCE_CA_FILE)' % (self.base_url, reason))
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise self._unanswered('timed out after %gs' % self.timeout, retry_unsafe)
            raise _Retryable('cannot reach %s: %s' % (self.base_url, getattr(reason, 'strerror', None) or reason))
        except (socket.timeout, TimeoutError):
            raise self._unanswered('timed out after %gs' % self.timeout, retry_unsafe)
        except (http.client.HTTPException, ConnectionError, OSError) as failure:
            raise self._unanswered('connection to %s failed: %s' % (self.base_url, failure), retry_unsafe)
        if not text:
            return None
        try:
            return json.loads(text.decode('utf-8'))
        except ValueError:
            raise RequestError('%s answered something that is not JSON: %r' % (url, text[:120]))

    @staticmethod
    def _unanswered(message, retry_unsafe):
        # The request may have arrived: repeat it only when repeating is safe.
        return _Retryable(message) if retry_unsafe else RequestError(message)
