#!/usr/bin/python3
"""The Chinese interface (GNU gettext).

1. The catalogue: xgettext extracts every message of src/ and cli/ with the
   keywords of po/xgettext.options; po/zh_CN.po must translate each of them
   (msgcmp: none missing, fuzzy or untranslated), hold no entry the sources
   no longer have, and pass msgfmt --check (the printf directives of every
   translation match its English message). Every QA kind the library
   records has its Chinese word in the library's table (src/qa.c).
2. Each command (info, check, analyze, verify, progress, plan) and a few
   errors in Chinese: LANG=zh_CN.UTF-8 with the locale made by localedef in
   a private folder (LOCPATH), else LANGUAGE=zh_CN over C.UTF-8; the words of
   the bureau appear, and no English sentence is left (a run of three English
   words, once the data a line shows — paths, CRS names, GEOS's words — is
   taken out). The same run with LANGUAGE=zh_CN, and with --lang zh over a C
   locale, prints the same text. With --lang en (over the Chinese locale) the
   English words appear.
3. Tables: in Chinese, every row of the verify blockers table and of the
   progress --by village table ends in the same terminal column as its
   header (CJK characters two columns wide).
4. --json is English whatever the language and the same document; the
   database's qa_issues.detail follows the language of the run, its kinds
   and severities stay the stable identifiers.

usage: test_i18n.py --landcons BIN --data-dir GIS_DATA --source-dir SRC"""
import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lctest  # noqa: E402

CJK = re.compile(r"[\u3400-\u9fff]")
# three English words in a row (letters, joined by spaces or light punctuation)
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'/-]+[A-Za-z]{2,}){2,}")


def columns(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


# ---- 1. the catalogue -------------------------------------------------------

def po_entries(path):
    """[(flags, msgid, msgstr, obsolete)] of a PO file."""
    out = []
    text = open(path, encoding="utf-8").read()
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        obsolete = all(ln.startswith("#~") for ln in lines if not ln.startswith("# "))
        body = "\n".join(ln[3:] if ln.startswith("#~ ") else ln for ln in lines if not ln.startswith("#") or
                         ln.startswith("#~ "))
        flags = ",".join(ln[2:] for ln in lines if ln.startswith("#,"))
        m = re.search(r'msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)msgstr ((?:"(?:[^"\\]|\\.)*"\s*)+)', body)
        if not m:
            continue
        join = lambda b: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', b))  # noqa: E731
        out.append((flags, join(m.group(1)), join(m.group(2)), obsolete))
    return out


def check_catalogue(t, src, tmp):
    po = os.path.join(src, "po", "zh_CN.po")
    with open(os.path.join(src, "po", "xgettext.options"), encoding="utf-8") as f:
        options = [ln.strip() for ln in f if ln.strip()]
    sources = sorted(os.path.join(d, n) for d in ("src", "cli") for n in os.listdir(os.path.join(src, d))
                     if n.endswith(".c"))
    pot = os.path.join(tmp, "landcons.pot")
    r = subprocess.run(["xgettext", *options, "--msgid-bugs-address=none", "-o", pot, *sources], cwd=src,
                       capture_output=True, text=True)
    t.eq(r.returncode, 0, f"xgettext extracts the messages ({r.stderr.strip()[-300:]})")
    ids = {mid for _, mid, _, _ in po_entries(pot) if mid}
    t.check(len(ids) > 400, f"xgettext found the messages of src/ and cli/ ({len(ids)})")
    r = subprocess.run(["msgcmp", po, pot], capture_output=True, text=True)
    t.eq(r.returncode, 0, f"msgcmp: every message translated, none fuzzy ({r.stderr.strip()[-600:]})")
    entries = [e for e in po_entries(po) if e[1]]
    fuzzy = [mid for flags, mid, _, _ in entries if "fuzzy" in flags]
    empty = [mid for _, mid, s, obs in entries if not s and not obs]
    obsolete = [mid for _, mid, _, obs in entries if obs]
    stale = sorted({mid for _, mid, _, obs in entries if not obs} - ids)
    missing = sorted(ids - {mid for _, mid, s, obs in entries if s and not obs})
    t.eq(fuzzy, [], "no fuzzy entry in zh_CN.po")
    t.eq(empty, [], "no untranslated entry in zh_CN.po")
    t.eq(missing, [], "every extracted message is in zh_CN.po")
    t.eq(obsolete + stale, [], "zh_CN.po holds no message the sources no longer have")
    r = subprocess.run(["msgfmt", "--check", "-o", os.path.join(tmp, "zh.mo"), po], capture_output=True, text=True)
    t.eq(r.returncode, 0, f"msgfmt --check: the directives of every translation match ({r.stderr.strip()[-600:]})")
    # the QA kinds the library records all have their Chinese word
    kinds = set()
    for name in os.listdir(os.path.join(src, "src")):
        if name.endswith(".c"):
            text = open(os.path.join(src, "src", name), encoding="utf-8").read()
            kinds |= set(re.findall(r'lc_qa_add\(\s*[^,]+,[^,]+,\s*LC_SEV_\w+,\s*"(\w+)"', text))
    qa = open(os.path.join(src, "src", "qa.c"), encoding="utf-8").read()
    words = dict(re.findall(r'\{"(\w+)", "([^"]+)"\}', qa))
    t.check(len(kinds) > 30, f"QA kinds found in src/ ({len(kinds)})")
    t.eq(sorted(kinds - set(words)), [], "every QA kind has a Chinese word in src/qa.c")
    print(f"catalogue: {len(ids)} messages, {len(entries)} translated; {len(kinds)} QA kinds")


# ---- 2. the commands in Chinese ---------------------------------------------

def zh_environments(tmp):
    """The environments a Chinese user has: the zh_CN.UTF-8 locale (made in a
    private folder), and LANGUAGE=zh_CN over C.UTF-8."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    envs = {}
    locpath = os.path.join(tmp, "locale")
    os.makedirs(locpath)
    if shutil.which("localedef"):
        r = subprocess.run(["localedef", "-i", "zh_CN", "-f", "UTF-8", os.path.join(locpath, "zh_CN.UTF-8")],
                           capture_output=True, text=True)
        if r.returncode in (0, 1) and os.path.isdir(os.path.join(locpath, "zh_CN.UTF-8")):
            envs["LANG=zh_CN.UTF-8"] = dict(base, LOCPATH=locpath, LANG="zh_CN.UTF-8")
    envs["LANGUAGE=zh_CN"] = dict(base, LANG="C.UTF-8", LANGUAGE="zh_CN")
    envs["LANG=C"] = dict(base, LANG="C")
    return envs


def english_runs(text, allowed):
    """The runs of English words left in text once the data in `allowed`
    (paths, names) is taken out."""
    for a in sorted(allowed, key=len, reverse=True):
        text = text.replace(a, " ")
    text = re.sub(r"--[a-z-]+(=\S+)?", " ", text)     # option names
    text = re.sub(r"\b(info|check|analyze|verify|progress|plan)\b", " ", text)   # command names
    text = re.sub(r"\b[A-Z][A-Z0-9_=|.-]*\b", " ", text)   # placeholders and acronyms (YYYY-MM-DD, CRS)
    text = re.sub(r"\S*/\S*", " ", text)              # paths and ratios (a/b)
    return ENGLISH_RUN.findall(text)


def run(cmd, env):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return r.returncode, r.stdout, r.stderr


def commands(a, tmp):
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    shp, reg, sites, units = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_sites.geojson",
                                                           "DK_units.csv"))
    # a register with a status word nobody knows, for a Chinese error
    bad = os.path.join(tmp, "bad_register.csv")
    with open(reg, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    cells = lines[5].split(",")
    cells[2] = "签了"          # the status column (流转状态)
    lines[5] = ",".join(cells)
    with open(bad, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    # names as the 发包方 table gives them: four characters (a 街道), and one
    # longer than any column gives it
    names = os.path.join(tmp, "units.csv")
    with open(units, encoding="utf-8-sig") as f:
        rows = f.read().splitlines()
    long_names = {"230113101201": "承旭街道", "230113104201": "双城区承旭街道太平村第一村民小组"}
    with open(names, "w", encoding="utf-8") as f:
        for row in rows:
            code = row.split(",")[0]
            f.write(f"{code},{long_names[code]}\n" if code in long_names else row + "\n")
    common = ["--register", reg, "--unit-names", names, "-q"]
    return {
        # name: (arguments, exit code, Chinese words, English words)
        "info": ([shp], 0, ["文件：", "计算坐标系：", "椭球面积：", "亩"], ["File:", "Work CRS:", "mu"]),
        "check": ([shp, "--register", reg, "-q"], 0,
                  ["按问题分类统计", "地块无台账记录", "警告", "按未登记计", "此类还有"],
                  ["findings by kind", "parcel_without_register_row", "more of this kind"]),
        "analyze": ([shp, *common, "--site", sites, "--as-of", "2019-05-01", "--target-mu", "3000", "-o",
                     os.path.join(tmp, "{lang}.sqlite"), "--overwrite"], 0,
                    ["已流转：", "台账登记面积", "全部地块面积", "最大连片：", "目标：", "插花地："],
                    ["Transferred:", "of the registered area", "of all parcels", "Target:"]),
        "verify": ([shp, *common, "--site", sites, "--as-of", "2019-03-03"], 1,
                   ["不能开工", "阻碍开工地块", "承包方", "未签约"],
                   ["NOT READY", "blocking parcels", "holder", "pending"]),
        "progress": ([shp, *common, "--as-of", "2019-05-01", "--by", "village", "--daily", "--target-mu", "2000"],
                     0, ["按村", "达 50% 日期", "台账登记亩数", "逐日进度", "已于"],
                     ["By village", "50 % on", "registered mu", "Day by day", "reached on"]),
        "plan": ([shp, *common, "--as-of", "2019-04-01", "--target-mu", "4000", "--top", "5"], 0,
                 ["关键地块", "谈判顺序", "承包方", "累计户数"], ["Bridge parcels", "Route to", "households"]),
        "analyze-no-output": ([shp, "--register", reg], 2, ["缺少输出数据库"], ["output database is missing"]),
        "analyze-bad-status": ([shp, "--register", bad, "-o", os.path.join(tmp, "x.sqlite")], 2,
                               ["台账不能直接使用", "状态词不在词表中", "首见于第"],
                               ["cannot be used as it is", "not in the vocabulary"]),
        "check-report": ([shp, "--report", os.path.join(tmp, "r.html")], 2, ["不是 check 的选项"],
                         ["is not an option of check"]),
        "verify-gap": ([shp, "--register", reg, "--site", sites, "--gap", "99", "--target-mu", "5"], 2,
                       ["不是 verify 的选项"], ["is not an option of verify"]),
        "verify-help": (["--help"], 0, ["用法：", "选项：", "显示本帮助", "开工前核验"],
                        ["usage:", "options:", "show this help"]),
    }


def command_of(name):
    return name.split("-")[0]


def table_rows(lines, start_pred, stop_pred):
    """The lines of a table: from its header (start_pred) to the first line
    stop_pred accepts."""
    rows, on = [], False
    for ln in lines:
        if start_pred(ln):
            on = True
        elif on and stop_pred(ln):
            break
        if on:
            rows.append(ln)
    return rows


def check_commands(t, a, tmp):
    envs = zh_environments(tmp)
    main_env = "LANG=zh_CN.UTF-8" if "LANG=zh_CN.UTF-8" in envs else "LANGUAGE=zh_CN"
    print(f"Chinese via {main_env}" + ("" if main_env.startswith("LANG=zh") else " (localedef unavailable)"))
    info = json.loads(run([a.landcons, "info", os.path.join(a.data_dir, "shuangcheng", "DK.shp"), "--json"],
                          envs[main_env])[1])
    allowed = {info["crs"]["source"]["name"], info["crs"]["work"]["name"], os.path.abspath(a.data_dir), tmp,
               "ESRI Shapefile", "GeographicLib"}
    for name, (args, code, zh_words, en_words) in commands(a, tmp).items():
        cmd = [a.landcons, command_of(name)] + [x.replace("{lang}", "zh") for x in args]
        rc, out, err = run(cmd, envs[main_env])
        text = out + err
        t.eq(rc, code, f"{name} in Chinese: exit code ({err.strip()[-300:]})")
        for w in zh_words:
            t.check(w in text, f"{name} in Chinese: says {w!r}")
        t.check(CJK.search(text) is not None, f"{name} in Chinese: Chinese text")
        left = english_runs(text, allowed)
        t.eq(left, [], f"{name} in Chinese: no English sentence left")
        if name in ("check", "progress", "verify", "analyze-bad-status", "verify-help"):
            for other in ("LANGUAGE=zh_CN", "LANG=C"):
                extra = ["--lang", "zh"] if other == "LANG=C" else []
                rc2, out2, err2 = run(cmd + extra, envs[other])
                t.eq((rc2, out2, err2), (rc, out, err), f"{name}: {other} {' '.join(extra)} prints the same")
        if name in ("verify", "progress"):
            check_alignment(t, name, out)
        # English, forced over the Chinese locale
        cmd_en = [a.landcons, command_of(name)] + [x.replace("{lang}", "en") for x in args] + ["--lang", "en"]
        rc, out, err = run(cmd_en, envs[main_env])
        t.eq(rc, code, f"{name} --lang en: exit code")
        for w in en_words:
            t.check(w in out + err, f"{name} --lang en: says {w!r}")
        t.eq([w for w in zh_words if w in out + err], [], f"{name} --lang en: no Chinese message")
    return envs[main_env]


def check_alignment(t, name, out):
    """Rows of a table end in the column of their header's end."""
    lines = out.splitlines()
    if name == "verify":
        tables = [table_rows(lines[k:], lambda ln: ln.startswith("    地块编码"),
                             lambda ln: not re.match(r"^    \d{19} ", ln)) for k, ln in enumerate(lines)
                  if ln.startswith("    地块编码")]
    else:
        tables = [table_rows(lines, lambda ln: ln.startswith("编码"), lambda ln: not re.match(r"^\d{12} ", ln))]
    t.check(tables and all(len(rows) > 1 for rows in tables), f"{name}: tables found")
    for rows in tables:
        ends = {columns(r.rstrip()) for r in rows}
        t.eq(len(ends), 1, f"{name}: every row ends under its header's end ({sorted(ends)})")


# ---- 4. JSON English, the database in the run's language ---------------------

def check_json_and_database(t, a, tmp, zh_env):
    d = os.path.abspath(os.path.join(a.data_dir, "shuangcheng"))
    shp, reg, sites = (os.path.join(d, n) for n in ("DK.shp", "DK_register.csv", "DK_sites.geojson"))
    for args in (["info", shp], ["check", shp, "--register", reg], ["verify", shp, "--register", reg, "--site",
                                                                      sites, "--as-of", "2019-03-03"],
                 ["progress", shp, "--register", reg, "--by", "village"], ["plan", shp, "--register", reg]):
        zh = run([a.landcons, *args, "--json", "-q"], zh_env)
        en = run([a.landcons, *args, "--json", "-q", "--lang", "en"], zh_env)
        t.eq(zh[1], en[1], f"{args[0]} --json: the same English document whatever the language")
    check = json.loads(run([a.landcons, "check", shp, "--register", reg, "--json", "-q"], zh_env)[1])
    details = " ".join(f["detail"] for f in check["findings"])
    t.check("counted as unregistered" in details, "check --json: the findings' details in English")
    for lang, word, unword in (("zh", "按未登记计", "counted as unregistered"), ("en", "counted as unregistered", "按未登记计")):
        db = os.path.join(tmp, f"qa_{lang}.sqlite")
        r = run([a.landcons, "check", shp, "--register", reg, "-o", db, "-q", "--lang", lang], zh_env)
        t.eq(r[0], 0, f"check -o in {lang}")
        con = sqlite3.connect(db)
        rows = con.execute("SELECT severity, kind, detail FROM qa_issues").fetchall()
        con.close()
        t.check(any(word in det for _, _, det in rows) and not any(unword in det for _, _, det in rows),
                f"qa_issues.detail in the run's language ({lang})")
        t.eq(sorted({s for s, _, _ in rows}), ["info", "warning"], f"qa_issues.severity stays English ({lang})")
        t.check(all(re.fullmatch(r"[a-z_]+", k) for _, k, _ in rows), f"qa_issues.kind stays the identifier ({lang})")


def main():
    ap = lctest.arg_parser()
    ap.add_argument("--source-dir", required=True)
    a = ap.parse_args()
    t = lctest.Checker("i18n")
    with tempfile.TemporaryDirectory() as tmp:
        check_catalogue(t, a.source_dir, tmp)
        zh_env = check_commands(t, a, tmp)
        check_json_and_database(t, a, tmp, zh_env)
    t.done()


if __name__ == "__main__":
    main()
