"""The intake's measured quality: precision and recall per kind of value over the labelled
texts in ``intake/eval/texts/`` (our own texts, written in the forms real releases use), the
items' relevance, nothing proposed from noise, and the time a ten-page release takes.

Run with ``make eval-intake`` (``python manage.py intake_eval``).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path

from core import korean

from ..propose import analyse
from ..readers import read_text, read_upload

TEXTS = Path(__file__).parent / "texts"
FIGURES = ("amount", "percent", "percent_point", "count", "date", "datetime", "range")


def _key(value: dict):
    kind, v = value["kind"], value["value"]
    if kind == "count":
        return kind, f"{v}|{value.get('unit', '')}"
    if kind == "range":
        return kind, f"{v['start']}/{v['end']}"
    if kind in ("percent", "percent_point"):
        return kind, float(v)
    return kind, v


def _label_key(pair):
    kind, v = pair
    if kind in ("percent", "percent_point"):
        return kind, float(v)
    return kind, v


def evaluate(texts_dir: Path = TEXTS) -> dict:
    totals = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    report = {"files": [], "noise_proposals": 0, "items_right": 0, "items_total": 0}
    for path in sorted([*texts_dir.glob("*.txt"), *texts_dir.glob("*.html")]):
        labels = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        published = dt.date.fromisoformat(labels["published"]) if labels.get("published") else None
        document = read_upload(path.name, path.read_bytes())  # .html through trafilatura
        result = analyse(document, published=published)
        articles = result["articles"]
        found = Counter()
        people = set()
        kinds = Counter()
        for article, expected in zip(articles, labels["items"], strict=False):
            if not expected["relevant"]:
                report["noise_proposals"] += len(article["proposals"])
                continue
            for value in article["values"]:
                found[_key(value)] += 1
            for proposal in article["proposals"]:
                kinds[proposal["kind"]] += 1
                if proposal["kind"] == "person":
                    people.add(proposal["fields"]["name"])
        for article in articles[len(labels["items"]) :]:  # items the labels do not expect
            report["noise_proposals"] += len(article["proposals"])
        report["items_total"] += len(labels["items"])
        report["items_right"] += sum(
            1
            for article, expected in zip(articles, labels["items"], strict=False)
            if article["item"]["kind"] == expected["kind"]
            and article["relevant"] == expected["relevant"]
        )
        if len(articles) != len(labels["items"]):
            report.setdefault("item_count_mismatch", []).append(
                f"{path.name}: {len(articles)} items, labels {len(labels['items'])}"
            )
        wanted = Counter(_label_key(tuple(pair)) for pair in labels["values"])
        wanted.update(("person", name) for name in labels.get("people", []))
        found.update(("person", name) for name in people)
        for key in set(wanted) | set(found):
            kind = key[0]
            hit = min(wanted[key], found[key])
            totals["tp"][kind] += hit
            totals["fp"][kind] += found[key] - hit
            totals["fn"][kind] += wanted[key] - hit
        missing = sorted(str(k) for k in (wanted - found))
        extra = sorted(str(k) for k in (found - wanted))
        proposals_short = {
            kind: (kinds[kind], n)
            for kind, n in labels.get("proposals", {}).items()
            if kinds[kind] < n
        }
        report["files"].append(
            {
                "file": path.name,
                "missing": missing,
                "extra": extra,
                "proposals_short": proposals_short,
            }
        )
    per_kind = {}
    for kind in sorted(set(totals["tp"]) | set(totals["fp"]) | set(totals["fn"])):
        tp, fp, fn = totals["tp"][kind], totals["fp"][kind], totals["fn"][kind]
        per_kind[kind] = {
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    figures = [totals[n] for n in ("tp", "fp", "fn")]
    tp = sum(figures[0][k] for k in FIGURES)
    fp = sum(figures[1][k] for k in FIGURES)
    fn = sum(figures[2][k] for k in FIGURES)
    report["per_kind"] = per_kind
    report["figures"] = {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }
    return report


def ten_page_release() -> str:
    """About ten A4 pages (≈ 18,000 characters) of press-release text: the labelled release
    repeated with its annex and tables."""
    one = (TEXTS / "01_press_release_forum.txt").read_text(encoding="utf-8")
    body = one.split("\n\n", 1)[1]
    pages = [one]
    while sum(len(p) for p in pages) < 18_000:
        pages.append(body)
    return "\n\n".join(pages)


def timing() -> dict:
    text = ten_page_release()
    started = time.perf_counter()
    result = analyse(read_text(text), published=dt.date(2026, 3, 12))
    took = time.perf_counter() - started
    proposals = sum(len(a["proposals"]) for a in result["articles"])
    return {"ten_pages_s": took, "chars": len(text), "proposals": proposals}


def main(write=print) -> int:
    started = time.perf_counter()
    korean.analyser()
    korean.sentences("분석기를 불러옵니다.")
    load = time.perf_counter() - started
    report = evaluate()
    write("kind             precision  recall   tp  fp  fn")
    for kind, row in report["per_kind"].items():
        write(
            f"{kind:<16} {row['precision']:9.3f} {row['recall']:7.3f} {row['tp']:4d} {row['fp']:3d} {row['fn']:3d}"
        )
    figures = report["figures"]
    write(
        f"{'FIGURES':<16} {figures['precision']:9.3f} {figures['recall']:7.3f}   (goal ≥ 0.9 both)"
    )
    write(f"items judged right: {report['items_right']}/{report['items_total']}")
    write(f"proposals from noise items: {report['noise_proposals']} (goal 0)")
    for mismatch in report.get("item_count_mismatch", []):
        write(f"  item count: {mismatch}")
    for file in report["files"]:
        if file["missing"] or file["extra"] or file["proposals_short"]:
            write(
                f"  {file['file']}: missing {file['missing']} extra {file['extra']} short {file['proposals_short']}"
            )
    speed = timing()
    write(
        f"analyser loaded once per process ({load:.2f} s, before the texts); ten-page release "
        f"({speed['chars']:,} characters, {speed['proposals']} proposals) in {speed['ten_pages_s']:.2f} s (goal < 3 s)"
    )
    ok = figures["precision"] >= 0.9 and figures["recall"] >= 0.9 and report["noise_proposals"] == 0
    return 0 if ok else 1
