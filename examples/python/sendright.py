"""sendright from Python: the decisions of the Go library, in-process.

A small module over the C shared library libsendright.so (built by
examples/embed/build.sh) with ctypes, standard library only. Every call
decides with the Go library itself, so decisions are identical to a Go
host's. Safe for use from several threads: the library is, and ctypes
releases the GIL during each call, so threads decide in parallel.

    import sendright
    with sendright.Policy() as policy:          # every built-in rule set
        decision, error = policy.decide({"contact": {...}, "message": {...}})
        if decision["verdict"] == "allow" and error is None:
            send()

Only a decision whose verdict is "allow" means send. An error (malformed
request, unknown handle) always comes with a deny, never an allow.
"""

import ctypes
import json
import os
import threading

__all__ = ["Library", "Policy", "Error", "load"]

_DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "embed", "out", "libsendright.so")


class Error(Exception):
    """An error of the library: code is one of its typed codes
    (INVALID_CONFIG, INVALID_RULES, INVALID_REQUEST, TOO_LARGE,
    EVALUATION_ERROR, UNKNOWN_HANDLE, TOO_MANY_HANDLES, INTERNAL)."""

    def __init__(self, error):
        self.code = error.get("code", "INTERNAL")
        self.message = error.get("message", "")
        self.field = error.get("field", "")
        super().__init__(f"{self.code}: {self.message}")


class Library:
    """The loaded C library. One per process is enough; it is thread-safe."""

    def __init__(self, path=None):
        path = path or os.environ.get("SENDRIGHT_LIB") or _DEFAULT
        lib = ctypes.CDLL(path)
        for name in ("sendright_compile", "sendright_decide", "sendright_decide_batch", "sendright_explain"):
            fn = getattr(lib, name)
            if name == "sendright_compile":
                fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
            else:
                fn.argtypes = [ctypes.c_uint64, ctypes.c_char_p, ctypes.c_size_t]
            fn.restype = ctypes.c_void_p  # a pointer we free, not a bytes copy
        lib.sendright_decide_batch_from.argtypes = [ctypes.c_uint64, ctypes.c_int64, ctypes.c_char_p, ctypes.c_size_t]
        lib.sendright_decide_batch_from.restype = ctypes.c_void_p
        lib.sendright_decide_campaign.argtypes = [ctypes.c_uint64, ctypes.c_int64, ctypes.c_char_p, ctypes.c_size_t]
        lib.sendright_decide_campaign.restype = ctypes.c_void_p
        lib.sendright_release.argtypes = [ctypes.c_uint64]
        lib.sendright_release.restype = ctypes.c_void_p
        lib.sendright_version.argtypes = []
        lib.sendright_version.restype = ctypes.c_void_p
        lib.sendright_free.argtypes = [ctypes.c_void_p]
        lib.sendright_free.restype = None
        self._lib = lib

    def _take(self, ptr):
        """Copies the library's result and frees its buffer."""
        if not ptr:
            raise MemoryError("sendright: out of memory")
        try:
            return ctypes.string_at(ptr)
        finally:
            self._lib.sendright_free(ptr)

    def call(self, name, *args):
        """Calls an exported function; bytes arguments are passed with
        their length. Returns the raw JSON result."""
        cargs = []
        for a in args:
            if isinstance(a, bytes):
                cargs += [a, len(a)]
            else:
                cargs.append(a)
        return self._take(getattr(self._lib, name)(*cargs))

    def version(self):
        """{"abi": 1, "semantics": ..., "module": ...}"""
        return json.loads(self.call("sendright_version"))


_lib = None
_lib_lock = threading.Lock()


def load(path=None):
    """Returns the process's Library, loading it on first use."""
    global _lib
    with _lib_lock:
        if _lib is None:
            _lib = Library(path)
        return _lib


def _encode(request):
    """A request as bytes: a dict is encoded, str and bytes are passed as
    they are (already JSON)."""
    if isinstance(request, bytes):
        return request
    if isinstance(request, str):
        return request.encode()
    return json.dumps(request, separators=(",", ":")).encode()


class Policy:
    """A compiled policy. builtin lists the built-in sets' jurisdictions
    (None: all), rules are rule files as (name, text) pairs or dicts, params
    the policy parameters' JSON form. Close it (or use it in a with block)
    to release it; a closed policy's decisions are denies with an
    UNKNOWN_HANDLE error."""

    def __init__(self, builtin=None, rules=(), params=None, config=None, library=None):
        self._lib = library or load()
        if config is None:
            config = {}
            if builtin is not None:
                config["builtin"] = list(builtin)
            if rules:
                config["rules"] = [r if isinstance(r, dict) else {"name": r[0], "text": r[1]} for r in rules]
            if params:
                config["params"] = params
        res = json.loads(self._lib.call("sendright_compile", _encode(config)))
        if "error" in res:
            raise Error(res["error"])
        self.handle = res["handle"]
        self.version = res["policy_version"]
        self.jurisdictions = res["jurisdictions"]

    def decide(self, request):
        """Decides one request (a dict, or its JSON as str or bytes).
        Returns (decision, error): the decision dict, and None or an
        Error; with an error the decision is a deny."""
        res = json.loads(self._lib.call("sendright_decide", self.handle, _encode(request)))
        return res["decision"], _error(res)

    def explain(self, request):
        """Decides one request and returns (decision, audit, error); the
        audit is None when the request did not decode."""
        res = json.loads(self._lib.call("sendright_explain", self.handle, _encode(request)))
        return res["decision"], res.get("audit"), _error(res)

    def decide_batch_raw(self, lines, first=None):
        """Decides JSON Lines of requests (bytes) on every core; returns the
        result's JSON Lines (bytes), one per input line, in order, numbered
        from first (a part of a longer list) or from 1."""
        if first is None:
            return self._lib.call("sendright_decide_batch", self.handle, lines)
        return self._lib.call("sendright_decide_batch_from", self.handle, first, lines)

    def decide_batch(self, requests):
        """Decides the requests (dicts or JSON strings) in one call; returns
        a list of (decision, error), in order. A batch refused as a whole
        (unknown handle, too large) raises Error."""
        lines = b"\n".join(_encode(r).replace(b"\n", b" ") for r in requests)
        if not lines:
            return []
        return _results(self.decide_batch_raw(lines))

    def decide_campaign_raw(self, message, contacts, first=1):
        """Decides one message (a dict or its JSON) for every contact of
        contacts, JSON Lines of contacts (bytes), in one call on every core:
        the campaign form of a batch, several times faster. Returns the
        result's JSON Lines (bytes), one per contact line, in order,
        numbered from first: {"line", "id", "decision", "error"}."""
        head = b'{"message":' + _encode(message).replace(b"\n", b" ") + b"}\n"
        return self._lib.call("sendright_decide_campaign", self.handle, first, head + contacts)

    def decide_campaign(self, message, contacts):
        """Decides one message for the contacts (dicts or JSON strings) in
        one call; returns a list of (decision, error), in order. A campaign
        refused as a whole (a message that does not decode, unknown handle,
        too large) raises Error."""
        lines = b"\n".join(_encode(c).replace(b"\n", b" ") for c in contacts)
        if not lines:
            return []
        return _results(self.decide_campaign_raw(message, lines))

    def close(self):
        """Releases the policy; later calls are denies with UNKNOWN_HANDLE."""
        if self.handle:
            self._lib.call("sendright_release", self.handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _results(lines):
    """The (decision, error) of each line of a batch's or a campaign's
    result; a result refused as a whole (line 0) raises Error."""
    out = []
    for line in lines.splitlines():
        res = json.loads(line)
        if res["line"] == 0:
            raise Error(res["error"])
        out.append((res["decision"], _error(res)))
    return out


def _error(res):
    e = res.get("error")
    return Error(e) if e else None
