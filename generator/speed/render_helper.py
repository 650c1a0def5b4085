"""A cold build's older versions rendered on the second core: the render helper.

A build with nothing to reuse (no earlier build in its cache, or no cache) and a long
history forks, once the model is made, a helper process that renders the pages of
the older part of each document's history (``helper_part``): each version's page,
fragment and comparison, in both languages, written into the same staging folder.
Meanwhile the build renders the newer part, the history pages, the feeds and the
exports. The helper then sends back which files it wrote, their keys for the cache
and the Markdown it converted; the build takes them as its own (``take_pages``) and goes
on with what lists every file: the sitemap, the API index. Each process converts
each distinct Markdown text it renders once: a text that versions on both sides of
the split hold (about one version's texts) is converted in both.

Forked after the model, the helper shares the build's memory until either changes
a page of it: before the fork the build compiles the templates and loads the
catalogs and the locale data, drops the content's bytes and freezes the collector
(``gc.freeze``, until the helper is done), so that neither copies them. The text
comparisons are made by whichever process renders the version.

The helper renders with the same code as the build and the pages it writes are
the pages the build would write (``tests/test_render_helper.py``). If it fails in
any way (an error in a template, killed, its answer lost), the build renders its
part itself, over whatever it wrote: an error is then raised, and reported, where
it would have been without a helper. A helper whose build ends first, or is
killed, is killed with it.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import time
from collections.abc import Callable
from multiprocessing import Pipe

from generator import timing
from generator.content.schema import DOCUMENTS
from generator.output.write import OutputFiles

# The older part of each document's history that the helper renders: the build also
# renders the history pages, the feeds and the exports meanwhile, and the sitemap and
# the API index after the helper's answer, so it takes the smaller part; the share
# was chosen by timing cold builds (docs/performance.md).
SHARE = 0.6
# A document with fewer versions than this is rendered by the build alone: forking
# and warming a helper would cost more than it saves.
FEW_VERSIONS = 24
_PR_SET_PDEATHSIG = 1


def helper_part(versions: int) -> int:
    """How many of a document's ``versions`` (oldest first) the helper renders."""
    return int(versions * SHARE) if versions >= FEW_VERSIONS else 0


class OlderPages:
    """``render_site``'s ``older`` (``render/pages.py``): the oldest part of each
    document's history rendered by a render helper."""

    def parts(self, site) -> dict[str, int]:
        """How many of each document's versions, oldest first, the helper renders."""
        return {document: helper_part(len(site.history(document))) for document in DOCUMENTS}

    def start(self, renderer, site, sink, make: Callable[[dict], None]) -> RenderHelper:
        """Fork a helper running ``make(out)`` into ``sink``: what both use loaded here
        once first, and the content's bytes dropped, so that neither copies them."""
        renderer.warm_up()
        site.drop_bytes()

        def work() -> dict:
            made, state = OutputFiles(sink), StateAtFork(renderer)
            make(made)
            return state.made_since(renderer, made)
        return RenderHelper(work, renderer)


class StateAtFork:
    """What a helper's renderer held when forked; ``made_since``: what it made after, for
    the build to take (``RenderHelper.finish``): the paths it wrote, their keys in the
    cache, its new Markdown."""

    def __init__(self, renderer) -> None:
        self.rendered = renderer.cache.rendered if renderer.cache else 0
        self.converted = set(renderer.markdown.used)

    def made_since(self, renderer, made) -> dict:
        cache = renderer.cache
        return {"paths": list(made),
                "keys": {path: cache.keys[path] for path in made} if cache else {},
                "rendered": cache.rendered - self.rendered if cache else 0,
                "markdown": {text: str(html) for text, html in renderer.markdown.used.items()
                             if text not in self.converted}}


def take_pages(renderer, out, made: dict) -> None:
    """A helper's pages as if made by the build: in ``out`` (an ``OutputFiles``), in the
    cache's keys, and its Markdown among the build's conversions."""
    for path in made["paths"]:
        out.add_written_elsewhere(path)
    if renderer.cache is not None:
        renderer.cache.keys.update(made["keys"])
        renderer.cache.rendered += made["rendered"]
    renderer.markdown.take(made["markdown"])


class RenderHelper:
    """A forked process running ``work()``, which returns a picklable dict."""

    def __init__(self, work: Callable[[], dict], renderer=None) -> None:
        self.renderer = renderer
        results, answer = Pipe(duplex=False)
        parent = os.getpid()
        gc.freeze()  # shared objects are never collected, so never copied, by either
        self.pid = os.fork()
        if self.pid == 0:  # the helper
            code = 1
            try:
                results.close()
                _end_with(parent)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's
                # it lives for one part of one build, which makes hardly any reference
                # cycles: it never looks for them (a look at its young objects cost more
                # than the memory it would free; docs/performance.md)
                gc.disable()
                started = time.process_time()
                made = work()
                made["cpu"] = time.process_time() - started
                made["private_mib"] = _private_mib()
                answer.send(made)
                code = 0
            except BaseException:  # noqa: S110 -- the build does its part instead
                pass
            finally:
                os._exit(code)  # never the build's exit handlers or buffered output
        answer.close()
        self._results = results

    def result(self) -> dict | None:
        """What the helper made, once it is done; None when it failed."""
        try:
            made = self._results.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            made = None
        self.close()
        if made is not None:
            timing.add("render helper", cpu=made["cpu"], peak_mib=made["private_mib"])
        return made

    def finish(self, out) -> bool:
        """The helper's pages taken into ``out`` once it is done (``take_pages``); False
        when it failed."""
        made = self.result()
        if made is None:
            return False
        take_pages(self.renderer, out, made)
        return True

    def close(self) -> None:
        """End the helper (killed if still at work: its part is no longer wanted)."""
        if self.pid <= 0:
            return
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done == 0:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        finally:
            self._results.close()
            self.pid = 0
            gc.unfreeze()  # its memory is gone: this process's objects are collected again


def _private_mib(pid: int | str = "self") -> float:
    """The memory only process ``pid`` holds (not shared with the build it was forked
    from)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            fields = dict(line.split(":", 1) for line in rollup if ":" in line)
        return sum(int(fields[name].split()[0]) for name in
                   ("Private_Clean", "Private_Dirty", "Swap") if name in fields) / 1024
    except (OSError, ValueError):
        return 0.0


def _end_with(parent: int) -> None:
    """Be killed when the build ends, however it ends (Linux's parent-death signal)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)
