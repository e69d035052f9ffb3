#!/usr/bin/python3
"""Synthetic rural cadastral data for landcons (土地连片流转 analysis).

Models contracted-land parcels (承包地块, NY/T 2539-2016 DK layer) in
Shuangcheng district, Harbin (county code 230113): flat Heilongjiang
farmland laid out as a slightly rotated grid of field blocks (田块)
separated by field roads, canals and one or two highways.  Every block is
cut into long narrow strips (one strip = one parcel) separated by thin
ridges (田埂), so parcels never touch and never overlap.

With --mosaic the layer is a coverage instead, as many 确权 deliveries
are digitised: neighbouring strips share their boundary line exactly (the
same vertices on both sides, no ridge), field blocks are separated only by
field tracks 1-2.5 m wide, and a few strips lean into their neighbour by
1-3 m (real overlaps, listed under "overlaps" in the truth file).  The
campaign then covers a little over half the parcels, which form one giant
block.  --project-site adds a site drawn around the whole campaign.

Besides the parcel layer the script writes the things an analyst gets
next to it: a transfer register (流转台账) from a two-month signing
campaign that spreads outward from a centre, two project sites, and a
code -> name table for townships and villages.

Everything is deterministic from --seed: the parcels depend only on
--parcels and --seed (never on the output format, CRS or encoding options),
so variants written with different options hold the same parcels.  Files
are byte-identical across reruns (the DBF header date and the GeoPackage
timestamps are pinned).

Generation streams village by village (a village is at most a few thousand
parcels), so memory stays flat even for --parcels 1000000.

Coordinates: CGCS2000 3-degree Gauss-Kruger zone 42 (EPSG:4530, eastings
carry the zone prefix 42), or EPSG:4490 lon/lat with --crs 4490.

Run with /usr/bin/python3 (Debian's python3-gdal); see --help.
"""

import argparse
import csv
import datetime
import json
import math
import os
import random
import struct
import sys
import time

from osgeo import gdal, ogr, osr

gdal.UseExceptions()

COUNTY = "230113"
SQM_TO_MU = 15.0 / 10000.0
CAMPAIGN_DAYS = 61  # 2019-03-01 .. 2019-04-30 inclusive
LRF = "双城区飞鹤牧业有限公司"  # 流入方 (transferee) of every signed contract

# Strip pitch used only to estimate parcel counts while sizing the grid.
MEAN_PITCH = 16.8

# ---------------------------------------------------------------------------
# Name lists.  All characters are in GB2312 (checked at start-up) so the GBK
# shapefile and register can hold them.

TOWN_NAMES = ["双城镇", "周家镇", "韩甸镇", "单城镇", "承旭街道",
              "兰棱镇", "五家镇", "东官镇", "农丰镇", "杏山镇", "西官镇",
              "新兴镇", "公正满族乡", "万隆乡", "乐群满族乡", "临江乡",
              "永胜乡", "水泉乡", "青岭乡", "金城乡", "希勤满族乡",
              "同心满族乡", "幸福乡", "团结乡", "联兴乡", "朝阳乡", "承恩街道"]

VILLAGE_NAMES = ["新发村", "永胜村", "前进村", "红旗村", "胜利村", "东风村",
                 "光明村", "和平村", "友谊村", "民主村", "团结村", "建设村",
                 "新华村", "富强村", "长胜村", "太平村", "兴隆村", "双井村",
                 "三合村", "四合村", "五星村", "七一村", "八一村", "东升村",
                 "西安村", "南岗村", "北山村", "保安村", "永安村", "富民村",
                 "丰收村", "新立村", "新民村", "庆丰村", "福胜村", "永丰村",
                 "长安村", "共和村", "金星村", "利民村", "兴农村", "腰堡村",
                 "万家村", "朝阳村", "向阳村", "曙光村", "德胜村", "民强村",
                 "永久村", "复兴村", "安乐村", "兴旺村", "合发村", "东兴村"]

# Syllables for synthetic names once the real lists run out (1M parcels).
NAME_SYLLABLES = "新永前红胜东光和友民建富长太兴双三四五七八西南北保安丰庆福共金利德隆合平乐发进旗明华强星升岗山立义顺"

# Field names (地块名称): direction/position + landform, e.g. 东大地, 北洼子.
DKMC_PREFIX = ["东", "西", "南", "北", "前", "后", "上", "下", "大", "小", "长", "腰"]
DKMC_SUFFIX = ["大地", "洼子", "甸子", "岗子", "坨子", "排地", "荒", "条子地",
               "壕", "沟", "坑", "岗地", "碱地", "园子"]

# Surnames with rough Heilongjiang frequencies (per mille); 关/佟/那 are
# common Manchu surnames in Shuangcheng.
SURNAMES = [("王", 71), ("李", 70), ("张", 68), ("刘", 54), ("杨", 30),
            ("赵", 25), ("孙", 25), ("陈", 19), ("于", 18), ("马", 15),
            ("周", 13), ("徐", 13), ("高", 13), ("黄", 10), ("吴", 10),
            ("郭", 10), ("宋", 9), ("韩", 9), ("姜", 9), ("朱", 8), ("胡", 8),
            ("冯", 7), ("董", 7), ("崔", 7), ("何", 6), ("郑", 6), ("梁", 6),
            ("曹", 6), ("田", 6), ("付", 6), ("林", 5), ("许", 5), ("白", 5),
            ("关", 5), ("吕", 5), ("贾", 5), ("魏", 5), ("罗", 4), ("唐", 4),
            ("潘", 4), ("常", 4), ("丁", 4), ("范", 4), ("石", 4), ("侯", 4),
            ("孟", 4), ("闫", 4), ("杜", 4), ("任", 4), ("邓", 3), ("薛", 3),
            ("谷", 3), ("佟", 3), ("牛", 3), ("秦", 3), ("齐", 3), ("邵", 3),
            ("金", 3), ("鲍", 2), ("邢", 2), ("庞", 2), ("尹", 2), ("蔡", 2),
            ("那", 2), ("单", 1)]
GIVEN_FIRST = "国玉德春志永凤桂淑秀宝福长金树景文振海庆连立成广明建学喜占贵万殿守洪俊士忠和显兴继秋晓红丽艳亚素"
GIVEN_SECOND = "林山田财才发贵富生祥武军华平江民清义顺龙学成海荣春芝兰英珍霞芳琴云杰忠奎良权友仁全臣堂"
GIVEN_SINGLE = "军强伟刚勇斌华明杰涛静丽辉林峰波"

NOTES_RANDOM = ["确权面积以实测为准", "原二轮承包地", "已调整四至"]
HOLE_KINDS = [("well", "内有机井"), ("pylon", "内有电塔基座"), ("grave", "内有坟地")]

STATUS_SIGNED, STATUS_UNSIGNED, STATUS_REFUSED, STATUS_DISPUTE = \
    "已签约", "未签约", "拒签", "争议"
STATUSES = [STATUS_SIGNED, STATUS_UNSIGNED, STATUS_REFUSED, STATUS_DISPUTE]

# (name, OGR type, width, precision) -- widths as in NY/T 2539-2016.
DK_FIELDS = [("DKBM", ogr.OFTString, 19, 0), ("DKMC", ogr.OFTString, 50, 0),
             ("SYQXZ", ogr.OFTString, 2, 0), ("DKLB", ogr.OFTString, 2, 0),
             ("TDLYLX", ogr.OFTString, 3, 0), ("DLDJ", ogr.OFTString, 2, 0),
             ("TDYT", ogr.OFTString, 1, 0), ("SFJBNT", ogr.OFTString, 1, 0),
             ("SCMJ", ogr.OFTReal, 15, 2), ("SCMJM", ogr.OFTReal, 15, 2),
             ("DKDZ", ogr.OFTString, 50, 0), ("DKNZ", ogr.OFTString, 50, 0),
             ("DKXZ", ogr.OFTString, 50, 0), ("DKBZ", ogr.OFTString, 50, 0),
             ("DKBZXX", ogr.OFTString, 254, 0), ("ZJRXM", ogr.OFTString, 100, 0),
             ("CBFMC", ogr.OFTString, 100, 0)]
REAL_FIELDS = {"SCMJ", "SCMJM"}

REGISTER_HEADER = ["地块编码", "承包方", "流转状态", "签约日期", "流转面积", "流入方", "合同编号"]


def _check_gbk():
    """Fail early if a name list holds a character GBK cannot encode."""
    text = "".join(TOWN_NAMES + VILLAGE_NAMES + DKMC_PREFIX + DKMC_SUFFIX
                   + [s for s, _ in SURNAMES] + [n for _, n in HOLE_KINDS]
                   + NOTES_RANDOM + STATUSES + REGISTER_HEADER) \
        + NAME_SYLLABLES + GIVEN_FIRST + GIVEN_SECOND + GIVEN_SINGLE + LRF
    text.encode("gbk")


def seeded(*parts):
    """An independent RNG per purpose, so that e.g. writing a register never
    shifts the random stream that shapes the parcels."""
    return random.Random(":".join(str(p) for p in parts))


# ---------------------------------------------------------------------------
# Landscape layout: grid of blocks, gaps between them, administrative units.

class Block:
    """One field block: a grid cell shrunk so that its slightly rotated
    rectangle still fits inside the cell (keeps road widths as minimum
    distances)."""
    __slots__ = ("idx", "col", "row", "xc", "yc", "w", "h", "theta", "ns",
                 "est", "edge_labels", "affine")


class Layout:
    pass


# A canal every CANAL_EVERY blocks (inclusive range); --canal-every widens
# it to model a consolidation area that canals cross only rarely.
CANAL_EVERY = (3, 5)


def _gap_types(n_gaps, rng):
    """Types of the n_gaps interior gaps of one axis: mostly field roads, a
    canal every few blocks, a highway near the middle."""
    types = []
    next_canal = rng.randint(*CANAL_EVERY)
    for i in range(n_gaps):
        if i + 1 == next_canal:
            types.append("canal")
            next_canal += rng.randint(*CANAL_EVERY)
        else:
            types.append("road")
    if n_gaps >= 1:
        types[n_gaps // 2] = "highway"
    return types


def _gap_width(kind, rng):
    if kind == "track":
        return rng.uniform(1.0, 2.5)
    return {"road": rng.uniform(4.0, 8.0), "canal": rng.uniform(12.0, 30.0),
            "highway": rng.uniform(28.0, 40.0)}[kind]


def _starts(gaps, sizes):
    """Start of each strip along one axis when strip k follows gap k; and the total length."""
    starts, pos = [], 0.0
    for gap, size in zip(gaps, sizes):
        pos += gap
        starts.append(pos)
        pos += size
    return starts, pos


def _gap_label(kind, rng):
    """四至 text for a block edge facing this gap."""
    if kind == "track":
        return "机耕路"
    if kind == "road":
        return "道路" if rng.random() < 0.7 else "机耕路"
    if kind == "canal":
        return "沟渠" if rng.random() < 0.7 else "排水沟"
    return "公路"


def _bisect(blocks, weights):
    """Split a set of blocks into len(weights) contiguous parts whose parcel
    counts are proportional to weights (recursive bisection along the longer
    axis)."""
    k = len(weights)
    if k <= 1:
        return [blocks]
    k1 = k // 2
    xs = [b.xc for b in blocks]
    ys = [b.yc for b in blocks]
    if max(xs) - min(xs) >= max(ys) - min(ys):
        order = sorted(blocks, key=lambda b: (b.col, b.row))
    else:
        order = sorted(blocks, key=lambda b: (b.row, b.col))
    target = sum(b.est for b in order) * sum(weights[:k1]) / sum(weights)
    # Try cut positions from the best-balanced outward; a cut through a
    # partial column/row can leave a part in two pieces, so keep the first
    # cut whose both sides are connected.
    cum = [0.0]
    for b in order:
        cum.append(cum[-1] + b.est)
    cuts = sorted(range(k1, len(order) - (k - k1) + 1), key=lambda c: (abs(cum[c] - target), c))
    for cut in cuts:
        if _connected(order[:cut]) and _connected(order[cut:]):
            break
    else:
        cut = cuts[0]
    return _bisect(order[:cut], weights[:k1]) + _bisect(order[cut:], weights[k1:])


def _connected(blocks):
    cells = {(b.col, b.row) for b in blocks}
    start = next(iter(cells))
    seen, stack = {start}, [start]
    while stack:
        c, r = stack.pop()
        for nb in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)):
            if nb in cells and nb not in seen:
                seen.add(nb)
                stack.append(nb)
    return len(seen) == len(cells)


def _synthetic_names(suffix, rng, taken):
    """Endless supply of plausible two-syllable unit names."""
    while True:
        name = rng.choice(NAME_SYLLABLES) + rng.choice(NAME_SYLLABLES) + suffix
        if name not in taken and name[0] != name[1]:
            taken.add(name)
            yield name


def build_layout(n_target, seed, mosaic=False, campaign_share=0.45):
    """Block grid, gaps, township/village/group partition and campaign
    geometry: everything above the strip level, cheap even for 10^6
    parcels (one small object per block).  A mosaic is a consolidated area:
    its field blocks are separated by field tracks narrower than 3 m only."""
    rng = seeded("layout", seed)
    lay = Layout()
    lay.alpha = math.radians(rng.uniform(2.0, 4.0) * rng.choice((-1, 1)))
    lay.e0 = 42520000.0 + round(rng.uniform(-3000, 3000))
    lay.n0 = 5030000.0 + round(rng.uniform(-3000, 3000))

    # Grid sizing: columns chosen for a roughly square area, then blocks are
    # added row by row (the last row may be partial) until the estimated
    # parcel count reaches the target.
    n_blocks_est = max(1.0, n_target / 33.0)
    ncols = max(1, round(math.sqrt(n_blocks_est * 525.0 / 600.0)))
    col_w = [rng.uniform(300.0, 900.0) for _ in range(ncols)]
    cells = []  # (col, row, ns, est)
    row_d = []
    total = 0.0
    full = False
    while not full:
        row = len(row_d)
        d = rng.uniform(150.0, 900.0)
        row_d.append(d)
        for col in range(ncols):
            ns = rng.random() < 0.75  # strips run north-south in most blocks
            est = (col_w[col] if ns else d) / (MEAN_PITCH - 0.65 if mosaic else MEAN_PITCH)
            if total + est / 2 > n_target and cells:
                full = True  # adding this block would overshoot more than stopping short
                break
            cells.append((col, row, ns, est))
            total += est
            if total >= n_target:
                full = True
                break
    if cells[-1][1] < len(row_d) - 1:
        row_d.pop()  # the last row got no block
    nrows = len(row_d)

    if mosaic:
        col_types = ["outer"] + ["track"] * (ncols - 1) + ["outer"]
        row_types = ["outer"] + ["track"] * (nrows - 1) + ["outer"]
    else:
        col_types = ["outer"] + _gap_types(ncols - 1, rng) + ["outer"]
        row_types = ["outer"] + _gap_types(nrows - 1, rng) + ["outer"]
    col_gap_w = [0.0] + [_gap_width(t, rng) for t in col_types[1:-1]]
    row_gap_w = [0.0] + [_gap_width(t, rng) for t in row_types[1:-1]]
    col_lab = ["道路"] + [_gap_label(t, rng) for t in col_types[1:-1]] + ["道路"]
    row_lab = ["道路"] + [_gap_label(t, rng) for t in row_types[1:-1]] + ["道路"]
    lay.gaps = {"col": list(zip(col_types, col_gap_w + [0.0])),
                "row": list(zip(row_types, row_gap_w + [0.0]))}

    col_x, x = _starts(col_gap_w, col_w)
    row_y, y = _starts(row_gap_w, row_d)
    xc0, yc0 = x / 2.0, y / 2.0
    lay.extent = (x, y)

    ca, sa = math.cos(lay.alpha), math.sin(lay.alpha)
    blocks = []
    for idx, (col, row, ns, est) in enumerate(cells):
        b = Block()
        b.idx, b.col, b.row, b.ns, b.est = idx, col, row, ns, est
        cw, cd = col_w[col], row_d[row]
        b.xc, b.yc = col_x[col] + cw / 2.0, row_y[row] + cd / 2.0
        b.theta = math.radians(rng.uniform(-0.8, 0.8))
        if mosaic:
            b.theta = 0.0  # a consolidated area: block edges parallel across the tracks
        # Shrink the block so its rotated bounding box equals the cell.
        s, c = abs(math.sin(b.theta)), math.cos(b.theta)
        den = c * c - s * s
        b.w = (cw * c - cd * s) / den
        b.h = (cd * c - cw * s) / den
        # Block edge labels: west, east, south, north.
        b.edge_labels = {"W": col_lab[col], "E": col_lab[col + 1],
                         "S": row_lab[row], "N": row_lab[row + 1]}
        # Affine from canonical strip coordinates (x = across strips,
        # y = along strips) to projected E/N.
        phi = lay.alpha + b.theta
        a, bb = math.cos(phi), math.sin(phi)
        dx, dy = b.xc - xc0, b.yc - yc0
        tx = lay.e0 + ca * dx - sa * dy - (a * b.w / 2 - bb * b.h / 2)
        ty = lay.n0 + sa * dx + ca * dy - (bb * b.w / 2 + a * b.h / 2)
        if ns:
            b.affine = (a, -bb, bb, a, tx, ty)
        else:
            # Strips run east-west: canonical frame rotated +90 degrees.
            b.affine = (-bb, -a, a, -bb, tx + a * b.w, ty + bb * b.w)
        blocks.append(b)
    lay.blocks = blocks
    lay.ncols, lay.nrows = ncols, nrows

    # Administrative units: townships, villages (≈250-1200 parcels), groups
    # (runs of adjacent blocks, ~50-200 parcels).
    n_vill = max(1, round(total / 450.0))
    n_town = max(min(5, n_vill), math.ceil(n_vill / 30))
    n_town = min(n_town, len(blocks))
    town_names = list(TOWN_NAMES[:n_town])
    gen_town = _synthetic_names("镇", seeded("townnames", seed), set(TOWN_NAMES))
    while len(town_names) < n_town:
        town_names.append(next(gen_town))
    lay.towns = []
    lay.villages = []
    # Unequal weights so that unit sizes vary as real ones do.
    town_w = [min(1.6, max(0.6, rng.lognormvariate(0.0, 0.25))) for _ in range(n_town)]
    for t, tblocks in enumerate(_bisect(blocks, town_w)):
        tcode = COUNTY + "%03d" % (101 + t)
        lay.towns.append((tcode, town_names[t]))
        t_est = sum(b.est for b in tblocks)
        nv = max(1, min(len(tblocks), 99, round(t_est / 450.0)))
        nrng = seeded("villagenames", seed, t)
        vnames = list(VILLAGE_NAMES)
        nrng.shuffle(vnames)
        gen_v = _synthetic_names("村", nrng, set(VILLAGE_NAMES))
        while len(vnames) < nv:
            vnames.append(next(gen_v))
        vill_w = [min(3.0, max(0.8, rng.lognormvariate(0.0, 0.45))) for _ in range(nv)]
        for v, vblocks in enumerate(_bisect(tblocks, vill_w)):
            # Serpentine order so consecutive blocks (one group) are adjacent.
            vblocks.sort(key=lambda b: (b.row, b.col if b.row % 2 == 0 else -b.col))
            groups, cur, acc = [], [], 0.0
            for b in vblocks:
                cur.append(b)
                acc += b.est
                if acc >= 110.0:
                    groups.append(cur)
                    cur, acc = [], 0.0
            if cur:
                if groups and acc < 50.0:
                    groups[-1].extend(cur)
                else:
                    groups.append(cur)
            lay.villages.append({"serial": len(lay.villages),
                                 "code": tcode + "%03d" % (201 + v),
                                 "name": vnames[v], "groups": groups})

    # Campaign: a disc covering ~45 % of the area around a point near the
    # middle; signing spreads outward from its centre over 61 days.
    cx = xc0 + rng.uniform(-0.08, 0.08) * x
    cy = yc0 + rng.uniform(-0.08, 0.08) * y
    lay.campaign_centre = (lay.e0 + ca * (cx - xc0) - sa * (cy - yc0),
                           lay.n0 + sa * (cx - xc0) + ca * (cy - yc0))
    lay.campaign_radius = math.sqrt(campaign_share * x * y / math.pi)
    lay.mosaic = mosaic
    lay.est_parcels = total
    return lay


# ---------------------------------------------------------------------------
# Strip geometry inside one block (canonical frame: x across, y along).

def _u_at(edge, v):
    """x of an edge polyline [(y, x), ...] (ascending y) at height v."""
    for k in range(1, len(edge)):
        v1, u1 = edge[k]
        if v <= v1 or k == len(edge) - 1:
            v0, u0 = edge[k - 1]
            return u0 + (u1 - u0) * (v - v0) / (v1 - v0)
    return edge[-1][1]


def _strip_layout(A, L, rng):
    """Strip widths and ridge centre-lines for a block A wide, L long.

    Returns (edges, centres): edges[i] = (left_edge, right_edge) polylines
    of strip i.  Neighbouring strips share the jittered ridge centre line and
    are offset from it by half the ridge width each, so the gap between them
    is the ridge width no matter how the shared vertices were jittered.
    """
    widths = []
    tot = 0.0
    while tot < A:
        # Log-normal, median 15 m: mostly 10-20 m, tail to 40 m.
        w = min(39.0, max(8.2, rng.lognormvariate(math.log(15.0), 0.38)))
        widths.append(w)
        tot += w + 0.65
    if len(widths) > 1 and tot - A > (widths[-1] + 0.65) / 2:
        widths.pop()
    n = len(widths)
    ridges_w = [rng.uniform(0.35, 0.96) for _ in range(n - 1)]
    scale = (A - sum(ridges_w)) / sum(widths)
    widths = [w * scale for w in widths]

    edges = []
    centres = []
    left = [(0.0, rng.uniform(0.05, 0.3)), (L, rng.uniform(0.05, 0.3))]
    pos = 0.0
    for i in range(n):
        pos += widths[i]
        centres.append(pos - widths[i] / 2)
        if i == n - 1:
            right = [(0.0, A - rng.uniform(0.05, 0.3)), (L, A - rng.uniform(0.05, 0.3))]
            edges.append((left, right))
            break
        r = ridges_w[i]
        c = pos + r / 2
        pos += r
        line = [(0.0, c + rng.uniform(-0.25, 0.25))]
        if rng.random() < 0.08:
            # A slight bend: one extra vertex shared by both neighbours.
            amp = min(3.0, 0.15 * min(widths[i], widths[i + 1]))
            line.append((rng.uniform(0.25, 0.75) * L,
                         c + rng.choice((-1, 1)) * rng.uniform(0.3, amp)))
        line.append((L, c + rng.uniform(-0.25, 0.25)))
        # Each side gets its own tiny wobble (+-0.02 m) so the ridge width
        # varies a little along the ridge, staying within 0.33-0.98 m.
        right = [(v, u - r / 2 - rng.uniform(-0.02, 0.02)) for v, u in line]
        edges.append((left, right))
        left = [(v, u + r / 2 + rng.uniform(-0.02, 0.02)) for v, u in line]
    return edges, centres


def _mosaic_strip_layout(A, L, rng):
    """Strips of a block digitised as a coverage (--mosaic): neighbouring
    strips share one boundary line, no ridge between them, and the line's
    end heights are shared too.

    Returns (lines, lo, hi, centres): strip i lies between lines[i] and
    lines[i + 1] (polylines [(v, u), ...], ascending v); its corners are at
    the heights lo[i], lo[i + 1] (low end) and hi[i], hi[i + 1] (high end).
    """
    widths = []
    tot = 0.0
    while tot < A:
        w = min(39.0, max(8.2, rng.lognormvariate(math.log(15.0), 0.38)))
        widths.append(w)
        tot += w
    if len(widths) > 1 and tot - A > widths[-1] / 2:
        widths.pop()
    n = len(widths)
    edge_in = [rng.uniform(0.05, 0.3) for _ in range(4)]
    scale = (A - edge_in[0] - edge_in[2]) / sum(widths)
    widths = [w * scale for w in widths]
    lines = [[(0.0, edge_in[0]), (L, edge_in[1])]]
    centres = []
    pos = edge_in[0]
    for i in range(n - 1):
        centres.append(pos + widths[i] / 2)
        pos += widths[i]
        line = [(0.0, pos + rng.uniform(-0.25, 0.25))]
        if rng.random() < 0.08:
            amp = min(3.0, 0.15 * min(widths[i], widths[i + 1]))
            line.append((rng.uniform(0.25, 0.75) * L, pos + rng.choice((-1, 1)) * rng.uniform(0.3, amp)))
        line.append((L, pos + rng.uniform(-0.25, 0.25)))
        lines.append(line)
    centres.append(pos + widths[-1] / 2)
    lines.append([(0.0, A - edge_in[2]), (L, A - edge_in[3])])
    lo = [rng.uniform(0.05, 0.3) for _ in lines]
    hi = [L - rng.uniform(0.05, 0.3) for _ in lines]
    return lines, lo, hi, centres


def _mosaic_ring(left, right, span, ev_left, ev_right, push=0.0):
    """Counter-clockwise ring of a strip piece of a mosaic: its sides carry
    every vertex of their boundary line within the piece's span (the line's
    bends and the corners of all pieces on either side of it), so that the
    neighbour across the line has exactly the same vertices there.  push > 0
    leans the right side into the neighbour (0 at the low end, push metres
    at the high end): a planted overlap."""
    vaL, vaR, vbL, vbR = span

    def r(u, v):
        return (u + push * (v - vaR) / (vbR - vaR), v)

    pts = [(_u_at(left, vaL), vaL), r(_u_at(right, vaR), vaR)]
    pts += [r(_u_at(right, v), v) for v in ev_right if vaR < v < vbR]
    pts.append(r(_u_at(right, vbR), vbR))
    pts.append((_u_at(left, vbL), vbL))
    pts += [(_u_at(left, v), v) for v in reversed(ev_left) if vaL < v < vbL]
    return pts


def _mosaic_spans(s, si, multis, rng):
    """Corner heights (vaL, vaR, vbL, vbR) of every polygon of every piece of
    a mosaic block, and per boundary line the sorted heights at which a
    vertex lies on it (bends, and the corners of the pieces on both sides)."""
    lines, lo, hi, L = s["lines"], s["lo"], s["hi"], s["L"]
    spans = {}
    events = [set(v for v, _u in line[1:-1]) for line in lines]
    for i in range(len(lines) - 1):
        for pi, (va, vb, lowcut, highcut) in enumerate(s["pieces"][i]):
            vaL, vaR = (va, va) if lowcut else (lo[i], lo[i + 1])
            vbL, vbR = (vb, vb) if highcut else (hi[i], hi[i + 1])
            if (si, i) in multis:
                bends = [v for v, _u in lines[i][1:-1] + lines[i + 1][1:-1]]
                cut = rng.uniform(0.3, 0.7) * L
                for _ in range(20):
                    if all(abs(cut - v) > 5.0 for v in bends):
                        break
                    cut = rng.uniform(0.3, 0.7) * L
                dw = rng.uniform(1.5, 3.0) / 2
                sp = [(vaL, vaR, cut - dw, cut - dw), (cut + dw, cut + dw, vbL, vbR)]
            else:
                sp = [(vaL, vaR, vbL, vbR)]
            spans[(i, pi)] = sp
            for a, b, c, d in sp:
                events[i].update((a, c))
                events[i + 1].update((b, d))
    return spans, [sorted(e) for e in events]


def _mosaic_polys(s, si, i, pi, spans, events, holes, pushes, rng):
    """Polygons (canonical frame), note and kind of piece pi of strip i of a
    mosaic block s (see _mosaic_spans)."""
    left, right = s["edges"][i]
    sp = spans[(i, pi)]
    push = pushes.get((si, i), 0.0)
    polys = [[_mosaic_ring(left, right, span, events[i], events[i + 1], push)] for span in sp]
    if len(sp) > 1:
        return polys, "排水沟穿过，分为两块", "multipart"
    if (si, i) in holes:
        hk, hnote = HOLE_KINDS[rng.randrange(3)]
        h = _hole_ring(hk, left, right, s["L"], rng)
        if h is not None:
            polys[0].append(h)
            return polys, hnote, "hole"
    return polys, "", ""


def _piece_ring(left, right, vaL, vaR, vbL, vbR):
    """Counter-clockwise ring of a strip piece between heights va and vb
    (separate heights for the left and right corners)."""
    pts = [(_u_at(left, vaL), vaL), (_u_at(right, vaR), vaR)]
    pts += [(u, v) for v, u in right[1:-1] if vaR + 0.5 < v < vbR - 0.5]
    pts.append((_u_at(right, vbR), vbR))
    pts.append((_u_at(left, vbL), vbL))
    pts += [(u, v) for v, u in reversed(left[1:-1]) if vaL + 0.5 < v < vbL - 0.5]
    return pts


def _avail_across(left, right, v0, v1):
    """Narrowest free x-range of a strip between heights v0 and v1."""
    lo = max([_u_at(left, v0), _u_at(left, v1)] + [u for v, u in left if v0 < v < v1])
    hi = min([_u_at(right, v0), _u_at(right, v1)] + [u for v, u in right if v0 < v < v1])
    return lo, hi


def _hole_ring(kind, left, right, L, rng):
    """A small clockwise ring (well, pylon base or grave) well inside the
    strip, or None if the strip is too narrow at the chosen spot."""
    for _ in range(10):
        if kind == "well":
            size_u = size_v = rng.uniform(3.0, 5.0)
        elif kind == "pylon":
            size_u = size_v = rng.uniform(5.0, 10.0)
        else:
            size_u, size_v = rng.uniform(4.0, 12.0), rng.uniform(4.0, 15.0)
        vc = rng.uniform(20.0 + size_v, L - 20.0 - size_v)
        lo, hi = _avail_across(left, right, vc - size_v / 2 - 1, vc + size_v / 2 + 1)
        room = hi - lo - 1.0  # keep >= 0.5 m of field on both sides
        if room < 3.0:
            continue
        size_u = min(size_u, room)
        if kind == "pylon":
            size_v = size_u
        uc = (lo + hi) / 2 + rng.uniform(-1, 1) * (room - size_u) / 2
        ru, rv = size_u / 2, size_v / 2
        if kind == "pylon":
            # Square footing, clockwise.
            return [(uc - ru, vc - rv), (uc - ru, vc + rv), (uc + ru, vc + rv), (uc + ru, vc - rv)]
        n, jit = (8, 0.0) if kind == "well" else (6, 0.15)
        ring = []
        for k in range(n):
            ang = -2 * math.pi * k / n  # decreasing angle: clockwise
            f = 1 - rng.uniform(0, jit)
            ring.append((uc + ru * f * math.cos(ang), vc + rv * f * math.sin(ang)))
        return ring
    return None


# ---------------------------------------------------------------------------
# Names.

_SURNAME_CUM = []


def _person_name(rng):
    if not _SURNAME_CUM:
        acc = 0
        for s, w in SURNAMES:
            acc += w
            _SURNAME_CUM.append((acc, s))
    x = rng.random() * _SURNAME_CUM[-1][0]
    for acc, s in _SURNAME_CUM:
        if x < acc:
            break
    if rng.random() < 0.15:
        return s + rng.choice(GIVEN_SINGLE)
    return s + rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)


# ---------------------------------------------------------------------------
# One village: geometry, households, attributes, register status.

def _transform(ring, aff):
    m11, m12, m21, m22, tx, ty = aff
    return [(round(m11 * x + m12 * y + tx, 3), round(m21 * x + m22 * y + ty, 3))
            for x, y in ring]


def _ring_area(ring):
    """Shoelace area of a closed-or-open ring, relative to its first vertex
    to avoid cancellation with 8-digit eastings."""
    x0, y0 = ring[0]
    s = 0.0
    n = len(ring)
    for k in range(n):
        x1, y1 = ring[k]
        x2, y2 = ring[(k + 1) % n]
        s += (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    return s / 2.0


def _rand_round(x, rng):
    """Stochastic rounding: expected value x, integer result."""
    f = math.floor(x)
    return int(f) + (1 if rng.random() < x - f else 0)


def _dig_pond(s, rng):
    """Leave an elliptical pond unmapped: strips crossing it are cut into
    pieces (va, vb, low_cut, high_cut); pieces shorter than 25 m are dropped
    (they become part of the pond's unmapped margin)."""
    A, L = s["A"], s["L"]
    uc = rng.uniform(0.2, 0.8) * A
    ru = rng.uniform(25.0, 70.0)
    rv = rng.uniform(25.0, min(80.0, 0.35 * L))
    vc = rng.uniform(0.0, 0.1) * L if rng.random() < 0.5 else rng.uniform(0.3, 0.7) * L
    for i, uci in enumerate(s["centres"]):
        du = (uci - uc) / ru
        if abs(du) >= 1:
            continue
        half = rv * math.sqrt(1 - du * du) + 2.0  # 2 m of reeds/bank
        lo, hi = vc - half, vc + half
        pieces = []
        if lo >= 25.0:
            pieces.append((0.0, lo, None, "pond"))
        if L - hi >= 25.0:
            pieces.append((hi, L, "pond", None))
        s["pieces"][i] = pieces


def generate_village(lay, vill, seed, force_features):
    """All parcels of one village, in DKBM order, as dicts ready to write."""
    rng = seeded("geom", seed, vill["serial"])
    arng = seeded("attr", seed, vill["serial"])

    # Pass 1: strip skeletons for every block, then ponds in ~4 % of the
    # blocks (the first village always gets one so small samples show it).
    skel = []
    for group in vill["groups"]:
        for b in group:
            A, L = (b.w, b.h) if b.ns else (b.h, b.w)
            if lay.mosaic:
                lines, lo, hi, centres = _mosaic_strip_layout(A, L, rng)
                edges = list(zip(lines, lines[1:]))
                skel.append({"block": b, "A": A, "L": L, "edges": edges, "centres": centres,
                             "lines": lines, "lo": lo, "hi": hi,
                             "pieces": [[(0.0, L, None, None)] for _ in edges]})
                continue
            edges, centres = _strip_layout(A, L, rng)
            skel.append({"block": b, "A": A, "L": L, "edges": edges, "centres": centres,
                         "pieces": [[(0.0, L, None, None)] for _ in edges]})
    ponds = [s for s in skel if rng.random() < 0.04]
    if force_features and not ponds and len(skel) >= 2:
        ponds = [skel[1]]
    for s in ponds:
        _dig_pond(s, rng)

    # Holes and multipart strips: ~0.5 % each among whole strips; the first
    # village always gets at least one of each so small samples show them.
    whole = [(si, i) for si, s in enumerate(skel) for i, ps in enumerate(s["pieces"])
             if len(ps) == 1 and ps[0][2] is None and ps[0][3] is None]
    n_hole = _rand_round(0.005 * len(whole), rng)
    n_multi = _rand_round(0.005 * len(whole), rng)
    if force_features:
        n_hole, n_multi = max(1, n_hole), max(1, n_multi)
    chosen = rng.sample(whole, min(len(whole), n_hole + n_multi))
    holes = set(chosen[:n_hole])
    multis = set(chosen[n_hole:])
    # Mosaic: a few real overlaps, where one strip's side leans into its
    # neighbour's (a digitising error between two whole strips).
    pushes = {}
    if lay.mosaic:
        orng = seeded("overlaps", seed, vill["serial"])
        wholes = set(whole) - holes - multis
        pairs = [(si, i) for si, i in sorted(wholes) if (si, i + 1) in wholes]
        n_over = _rand_round(0.0003 * len(pairs), orng)
        if force_features:
            n_over = max(1, n_over)
        for si, i in orng.sample(pairs, min(len(pairs), n_over)):
            pushes[(si, i)] = orng.uniform(1.0, 3.0)

    # Pass 2: parcels per group (groups are runs of adjacent blocks).
    parcels = []
    gcode_base = vill["code"]
    cadre = _person_name(arng)
    used_names = {cadre}
    households = []
    R = lay.campaign_radius
    ec, nc = lay.campaign_centre
    si = 0
    for gi, group in enumerate(vill["groups"]):
        gparcels = []
        blocks_of_group = []
        for b in group:
            s = skel[si]
            L, edges = s["L"], s["edges"]
            aff = b.affine
            dkmc = arng.choice(DKMC_PREFIX) + arng.choice(DKMC_SUFFIX)
            r = arng.random()
            tdlylx = "013" if r < 0.85 else ("011" if r < 0.95 else "012")
            dldj = "%02d" % max(1, min(10, arng.randint(4, 7) + arng.choice((-1, 0, 0, 1))))
            sfjbnt = "1" if arng.random() < 0.92 else "2"
            block_noise = arng.gauss(0.0, 2.5)
            # Canonical side -> compass direction (E-W blocks are rotated).
            if b.ns:
                dirs = {"x-": "W", "x+": "E", "y-": "S", "y+": "N"}
            else:
                dirs = {"x-": "S", "x+": "N", "y-": "E", "y+": "W"}
            bparcels = []
            if lay.mosaic:
                spans, events = _mosaic_spans(s, si, multis, rng)
            for i, (left, right) in enumerate(edges):
                for pi, (va, vb, lowcut, highcut) in enumerate(s["pieces"][i]):
                    if lay.mosaic:
                        polys, note, kind = _mosaic_polys(s, si, i, pi, spans, events, holes, pushes, rng)
                    else:
                        # Block ends get their own small inward jitter per corner.
                        vaL = va if lowcut else rng.uniform(0.05, 0.3)
                        vaR = va if lowcut else rng.uniform(0.05, 0.3)
                        vbL = vb if highcut else L - rng.uniform(0.05, 0.3)
                        vbR = vb if highcut else L - rng.uniform(0.05, 0.3)
                        note = ""
                        if (si, i) in multis:
                            cut = rng.uniform(0.3, 0.7) * L
                            for _ in range(20):
                                if all(abs(cut - v) > 5.0 for v, _u in left[1:-1] + right[1:-1]):
                                    break
                                cut = rng.uniform(0.3, 0.7) * L
                            dw = rng.uniform(1.5, 3.0) / 2
                            polys = [[_piece_ring(left, right, vaL, vaR, cut - dw, cut - dw)],
                                     [_piece_ring(left, right, cut + dw, cut + dw, vbL, vbR)]]
                            note = "排水沟穿过，分为两块"
                            kind = "multipart"
                        else:
                            polys = [[_piece_ring(left, right, vaL, vaR, vbL, vbR)]]
                            kind = ""
                            if (si, i) in holes:
                                hk, hnote = HOLE_KINDS[rng.randrange(3)]
                                h = _hole_ring(hk, left, right, L, rng)
                                if h is not None:
                                    polys[0].append(h)
                                    note, kind = hnote, "hole"
                    if not note:
                        if lowcut or highcut:
                            note = "临坑塘" if arng.random() < 0.5 else ""
                        elif arng.random() < 0.02:
                            note = arng.choice(NOTES_RANDOM)
                    polys = [[_transform(ring, aff) for ring in poly] for poly in polys]
                    # Exterior rings are CCW (positive), holes CW (negative).
                    area = sum(_ring_area(ring) for poly in polys for ring in poly)
                    ext = polys[0][0]
                    cx = sum(p[0] for p in ext) / len(ext)
                    cy = sum(p[1] for p in ext) / len(ext)
                    p = {"polys": polys, "area": area, "cx": cx, "cy": cy,
                         "strip": i, "piece": pi, "va": va, "vb": vb,
                         "lowcut": lowcut, "highcut": highcut, "kind": kind,
                         "DKMC": dkmc, "TDLYLX": tdlylx, "DLDJ": dldj,
                         "SFJBNT": sfjbnt, "DKBZXX": note,
                         "SYQXZ": "30", "DKLB": "10", "TDYT": "1", "block": b.idx,
                         "block_noise": block_noise, "dirs": dirs,
                         "labels": b.edge_labels, "nstrips": len(edges)}
                    if lay.mosaic and (si, i) in pushes:
                        p["pushed"] = pushes[(si, i)]
                    bparcels.append(p)
            blocks_of_group.append(bparcels)
            gparcels.extend(bparcels)
            si += 1

        # Households: shuffle each block's strips, then deal them round-robin
        # across the group's blocks so that a household's 1-6 strips usually
        # lie in different blocks (好坏搭配 allocation).
        queues = []
        for bp in blocks_of_group:
            q = list(bp)
            arng.shuffle(q)
            queues.append(q)
        dealt = []
        while any(queues):
            for q in queues:
                if q:
                    dealt.append(q.pop())
        k = 0
        while k < len(dealt):
            size = arng.choices((1, 2, 3, 4, 5, 6), weights=(10, 22, 28, 22, 12, 6))[0]
            name = _person_name(arng)
            while name in used_names:
                name = _person_name(arng)
            used_names.add(name)
            households.append(dealt[k:k + size])
            for p in dealt[k:k + size]:
                p["CBFMC"] = name
                p["holdout"] = False
                r = arng.random()
                if r < 0.88:
                    p["ZJRXM"] = name
                elif r < 0.96:
                    p["ZJRXM"] = name[0] + _person_name(arng)[1:]
                else:
                    p["ZJRXM"] = cadre
            k += size

        for seq, p in enumerate(gparcels, 1):
            p["DKBM"] = "%s%02d%05d" % (gcode_base, gi + 1, seq)
        parcels.extend(gparcels)

        # 四至: neighbouring strip's contractor across, road/canal/pond along.
        by_strip = {}
        for p in gparcels:
            by_strip.setdefault((p["block"], p["strip"]), []).append(p)
        for p in gparcels:
            lab = {}
            for side, step in (("x-", -1), ("x+", 1)):
                j = p["strip"] + step
                if j < 0 or j >= p["nstrips"]:
                    lab[side] = p["labels"][p["dirs"][side]]
                    continue
                best, overlap = None, 0.0
                for q in by_strip.get((p["block"], j), ()):
                    ov = min(p["vb"], q["vb"]) - max(p["va"], q["va"])
                    if ov > overlap:
                        best, overlap = q, ov
                lab[side] = best["CBFMC"] if best else "坑塘"
            lab["y-"] = "坑塘" if p["lowcut"] else p["labels"][p["dirs"]["y-"]]
            lab["y+"] = "坑塘" if p["highcut"] else p["labels"][p["dirs"]["y+"]]
            comp = {p["dirs"][s]: t for s, t in lab.items()}
            p["DKDZ"], p["DKNZ"], p["DKXZ"], p["DKBZ"] = comp["E"], comp["S"], comp["W"], comp["N"]

    # Mosaic: the parcel each leaning strip overlaps (the next strip's piece).
    if lay.mosaic:
        at = {(p["block"], p["strip"], p["piece"]): p for p in parcels}
        for p in parcels:
            if "pushed" in p:
                p["overlaps"] = at[(p["block"], p["strip"] + 1, 0)]["DKBM"]

    # Areas, deliberate area defects, register status.
    srng = seeded("status", seed, vill["serial"])
    for p in parcels:
        p["dist"] = math.hypot(p["cx"] - ec, p["cy"] - nc) / R  # in campaign radii
    # Hold-out households (钉子户): a fixed 2.5 % quota of the village's
    # households inside the campaign rather than a coin per household, so
    # that even small samples reliably contain some.
    in_campaign = [hh for hh in households if any(p["dist"] <= 1.0 for p in hh)]
    for hh in srng.sample(in_campaign, _rand_round(0.025 * len(in_campaign), srng)):
        for p in hh:
            p["holdout"] = True
    for p in parcels:
        p["SCMJ"] = round(p["area"], 2)
        mu = round(p["SCMJ"] * SQM_TO_MU, 2)
        p["scmjm_off"] = srng.random() < 0.01
        if p["scmjm_off"]:
            mu = round(mu * (1 + srng.choice((-1, 1)) * srng.uniform(0.06, 0.15)), 2)
        p["SCMJM"] = mu
        p["lzmj_off"] = srng.random() < 0.01
        lzmj = mu
        if p["lzmj_off"]:
            lzmj = mu * (1 + srng.choice((-1, 1)) * srng.uniform(0.055, 0.12))
        p["LZMJ"] = "%.2f" % lzmj

        d = p["dist"]
        day = 60.0 * d * d + p["block_noise"] + srng.randint(0, 2)
        p["registered"] = srng.random() >= 0.03
        dispute = srng.random() < 0.005
        status, sday = STATUS_UNSIGNED, None
        if d <= 1.0:
            if p["holdout"]:
                status = STATUS_REFUSED
            elif dispute:
                status = STATUS_DISPUTE
            else:
                status, sday = STATUS_SIGNED, max(0, min(60, round(day)))
        elif d <= 1.12 and srng.random() < 1 - (d - 1) / 0.12 and not p["holdout"]:
            # Ragged edge: the last days pick up a few parcels beyond the disc.
            status, sday = STATUS_SIGNED, max(50, min(60, round(day)))
        p["status"], p["day"] = status, sday
        r = srng.random()
        p["datefmt"] = "iso" if r < 0.92 else ("slash" if r < 0.97 else "cn")
    return parcels


# ---------------------------------------------------------------------------
# Writers.

def _wkb(polys, force_multi):
    """WKB (little endian) for a list of polygons (each a list of rings)."""
    def poly_wkb(poly):
        out = [struct.pack("<BII", 1, 3, len(poly))]
        for ring in poly:
            pts = ring + [ring[0]]
            out.append(struct.pack("<I", len(pts)))
            out.append(struct.pack("<%dd" % (2 * len(pts)), *[c for pt in pts for c in pt]))
        return b"".join(out)
    if len(polys) == 1 and not force_multi:
        return poly_wkb(polys[0])
    return struct.pack("<BII", 1, 6, len(polys)) + b"".join(poly_wkb(p) for p in polys)


def _srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


class ParcelWriter:
    """Streams parcels to a shapefile, GeoPackage or GeoJSON layer."""

    def __init__(self, args, dbf_date):
        self.args = args
        self.dbf_date = dbf_date
        fmt = args.format
        ext = {"shp": ".shp", "gpkg": ".gpkg", "geojson": ".geojson"}[fmt]
        self.path = os.path.join(args.out, args.name + ext)
        if fmt == "shp":
            for e in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                if os.path.exists(self.path[:-4] + e):
                    os.remove(self.path[:-4] + e)
        elif os.path.exists(self.path):
            os.remove(self.path)
        self.ct = None
        srs = _srs(4530)
        if args.crs == 4490:
            srs = _srs(4490)
            self.ct = osr.CoordinateTransformation(_srs(4530), srs)
        self.force_multi = fmt == "gpkg"
        if fmt == "shp":
            drv = ogr.GetDriverByName("ESRI Shapefile")
            self.ds = drv.CreateDataSource(self.path)
            # LDID/77 makes OGR recode UTF-8 -> CP936 (GBK) and sets the
            # language-driver byte to 0x4D; an empty ENCODING means raw bytes.
            enc = "LDID/77" if args.encoding == "gbk" else ""
            self.lyr = self.ds.CreateLayer(args.name, None if args.no_prj else srs,
                                           ogr.wkbPolygon, ["ENCODING=" + enc])
        elif fmt == "gpkg":
            # Pin gpkg_contents.last_change so reruns are byte-identical.
            gdal.SetConfigOption("OGR_CURRENT_DATE", dbf_date.strftime("%Y-%m-%dT00:00:00.000Z"))
            drv = ogr.GetDriverByName("GPKG")
            self.ds = drv.CreateDataSource(self.path)
            self.lyr = self.ds.CreateLayer("DK", srs, ogr.wkbMultiPolygon,
                                           ["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"])
        else:
            drv = ogr.GetDriverByName("GeoJSON")
            self.ds = drv.CreateDataSource(self.path)
            prec = "9" if args.crs == 4490 else "3"
            self.lyr = self.ds.CreateLayer("DK", srs, ogr.wkbUnknown,
                                           ["RFC7946=NO", "COORDINATE_PRECISION=" + prec,
                                            "WRITE_BBOX=NO"])
        for name, typ, width, prec in DK_FIELDS:
            fd = ogr.FieldDefn(name, typ)
            fd.SetWidth(width)
            fd.SetPrecision(prec)
            self.lyr.CreateField(fd)
        if fmt == "gpkg":
            self.ds.StartTransaction()
        self.defn = self.lyr.GetLayerDefn()
        self.feat = ogr.Feature(self.defn)
        self.idx = [(self.defn.GetFieldIndex(n), n, n in REAL_FIELDS) for n, _t, _w, _p in DK_FIELDS]

    def write(self, p):
        f = self.feat
        f.SetFID(-1)
        for i, name, real in self.idx:
            if real:
                f.SetField(i, p[name])
            else:
                f.SetFieldString(i, p.get(name, ""))
        g = ogr.CreateGeometryFromWkb(_wkb(p["polys"], self.force_multi))
        if self.ct is not None:
            g.Transform(self.ct)
        f.SetGeometryDirectly(g)
        self.lyr.CreateFeature(f)

    def close(self):
        if self.args.format == "gpkg":
            self.ds.CommitTransaction()
        self.feat = None
        self.lyr = None
        self.ds = None
        if self.args.format == "shp":
            self._finish_shp()

    def _finish_shp(self):
        base = self.path[:-4]
        d = self.dbf_date
        with open(base + ".dbf", "r+b") as fh:
            # Bytes 1-3: last-update date (YY-1900, MM, DD) -> fixed.
            fh.seek(1)
            fh.write(bytes((d.year - 1900, d.month, d.day)))
            # Byte 29: language driver id.  0x4D = GBK/CP936; 0 when nothing
            # is meant to declare the encoding (UTF-8 text or --no-cpg).
            fh.seek(29)
            ldid = 0x4D if (self.args.encoding == "gbk" and not self.args.no_cpg) else 0
            fh.write(bytes((ldid,)))
        if os.path.exists(base + ".cpg"):
            os.remove(base + ".cpg")
        if not self.args.no_cpg:
            # No trailing newline, as ArcGIS writes it.
            with open(base + ".cpg", "wb") as fh:
                fh.write(self.args.cpg.encode("ascii"))


class RegisterWriter:
    """Transfer register CSV with a few realistic clerk errors: ~5 rows
    entered twice verbatim, ~3 parcels entered twice with a different
    date."""

    def __init__(self, path, encoding, seed, n_est, start_date):
        self.fh = open(path, "w", encoding="utf-8-sig" if encoding == "utf-8" else "gbk",
                       newline="")
        self.w = csv.writer(self.fh)  # CRLF line ends, as Excel exports
        self.w.writerow(REGISTER_HEADER)
        self.rng = seeded("register", seed)
        hi = max(2, int(0.9 * n_est))
        self.exact_targets = sorted(self.rng.randrange(1, hi) for _ in range(5))
        self.date_targets = sorted(self.rng.randrange(1, hi) for _ in range(3))
        self.rows = 0
        self.contracts = 0
        self.pending = []
        self.start = start_date
        self.dup_exact, self.dup_keys = [], []

    def fmt_date(self, day, style):
        d = self.start + datetime.timedelta(days=day)
        if style == "slash":
            return "%d/%d/%d" % (d.year, d.month, d.day)
        if style == "cn":
            return "%d年%d月%d日" % (d.year, d.month, d.day)
        return d.isoformat()

    def add(self, p):
        if p["status"] == STATUS_SIGNED:
            self.contracts += 1
            row = [p["DKBM"], p["CBFMC"], p["status"], self.fmt_date(p["day"], p["datefmt"]),
                   p["LZMJ"], LRF, "LZ%d-%06d" % (self.start.year, self.contracts)]
        else:
            row = [p["DKBM"], p["CBFMC"], p["status"], "", p["LZMJ"], "", ""]
        self._emit(row)
        if p["status"] == STATUS_SIGNED:
            later = self.rows + self.rng.randint(1, 40)
            if self.exact_targets and self.rows >= self.exact_targets[0]:
                self.exact_targets.pop(0)
                self.pending.append((later, list(row)))
                self.dup_exact.append(p["DKBM"])
            elif self.date_targets and self.rows >= self.date_targets[0]:
                self.date_targets.pop(0)
                shift = self.rng.randint(1, 6)
                day = p["day"] + shift if p["day"] + shift <= CAMPAIGN_DAYS - 1 else p["day"] - shift
                dup = list(row)
                dup[3] = self.fmt_date(day, "iso")
                self.pending.append((later, dup))
                self.dup_keys.append(p["DKBM"])
        self._flush(False)

    def _emit(self, row):
        self.w.writerow(row)
        self.rows += 1

    def _flush(self, everything):
        while self.pending and (everything or self.pending[0][0] <= self.rows):
            self._emit(self.pending.pop(0)[1])
            self.pending.sort(key=lambda t: t[0])

    def close(self):
        self._flush(True)
        self.fh.close()


def write_sites(path, crs, lay, refused, ranch_mu=600.0):
    """Two project sites: the ranch over the campaign core, and a silage
    pit area placed over a refused (拒签) parcel near it."""
    R = lay.campaign_radius
    ec, nc = lay.campaign_centre
    ca, sa = math.cos(lay.alpha), math.sin(lay.alpha)

    def rect(cx, cy, w, h):
        pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
        return [(round(cx + ca * x - sa * y, 3), round(cy + sa * x + ca * y, 3)) for x, y in pts]

    # 800 m x 500 m = 600 mu; shrunk on tiny landscapes so that it stays
    # well inside the signed core.
    k = min(1.0, 0.5 * R / math.hypot(400.0, 250.0)) * math.sqrt(ranch_mu / 600.0)
    rw, rh = 800.0 * k, 500.0 * k
    sites = [("牧场一期", rect(ec, nc, rw, rh))]

    def in_ranch(x, y, margin):
        dx, dy = x - ec, y - nc
        lx, ly = ca * dx + sa * dy, -sa * dx + ca * dy
        return abs(lx) < rw / 2 + margin and abs(ly) < rh / 2 + margin

    cands = [r for r in refused if not in_ranch(r[1], r[2], 250.0)] or refused
    silage_on = None
    if cands:
        d, x, y, key = min(cands)
        sites.append(("青贮窖区", rect(x, y, 300.0, 222.2)))
        silage_on = key
    else:
        print("warning: no 拒签 parcel, 青贮窖区 not written", file=sys.stderr)

    if os.path.exists(path):
        os.remove(path)
    srs = _srs(crs)
    ct = osr.CoordinateTransformation(_srs(4530), srs) if crs == 4490 else None
    ds = ogr.GetDriverByName("GeoJSON").CreateDataSource(path)
    lyr = ds.CreateLayer("sites", srs, ogr.wkbPolygon,
                         ["RFC7946=NO", "COORDINATE_PRECISION=" + ("9" if crs == 4490 else "3"),
                          "WRITE_BBOX=NO"])
    fd = ogr.FieldDefn("name", ogr.OFTString)
    lyr.CreateField(fd)
    out = []
    for name, ring in sites:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("name", name)
        g = ogr.CreateGeometryFromWkb(_wkb([[ring]], False))
        out.append((name, round(g.GetArea() * SQM_TO_MU, 1)))
        if ct is not None:
            g.Transform(ct)
        f.SetGeometry(g)
        lyr.CreateFeature(f)
    ds = None
    return out, silage_on


def write_project_site(path, crs, lay, seed):
    """One site drawn around the whole campaign (the forage base itself): a
    48-gon with a slightly ragged outline, mean radius 0.97 campaign radii
    around the campaign centre, so that it holds most of the transferred
    land (about 14,000 parcels of 30,000 lie under it) and its edge crosses
    the outermost transferred parcels. Returns its area in mu."""
    rng = seeded("projectsite", seed)
    R = lay.campaign_radius
    ec, nc = lay.campaign_centre
    ring = []
    for k in range(48):
        ang = 2 * math.pi * k / 48
        r = 0.97 * R * (1 + rng.uniform(-0.03, 0.03))
        ring.append((round(ec + r * math.cos(ang), 3), round(nc + r * math.sin(ang), 3)))
    if os.path.exists(path):
        os.remove(path)
    srs = _srs(crs)
    ds = ogr.GetDriverByName("GeoJSON").CreateDataSource(path)
    lyr = ds.CreateLayer("project_site", srs, ogr.wkbPolygon,
                         ["RFC7946=NO", "COORDINATE_PRECISION=" + ("9" if crs == 4490 else "3"),
                          "WRITE_BBOX=NO"])
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("name", "饲草基地")
    g = ogr.CreateGeometryFromWkb(_wkb([[ring]], False))
    mu = round(g.GetArea() * SQM_TO_MU, 1)
    if crs == 4490:
        g.Transform(osr.CoordinateTransformation(_srs(4530), srs))
    f.SetGeometry(g)
    lyr.CreateFeature(f)
    ds = None
    return mu


# ---------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parcels", type=int, default=3000, help="approximate parcel count")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--name", default="dk", help="basename of the output files")
    ap.add_argument("--format", choices=("shp", "gpkg", "geojson"), default="shp")
    ap.add_argument("--crs", type=int, choices=(4530, 4490), default=4530)
    ap.add_argument("--no-prj", action="store_true", help="shp: write no .prj")
    ap.add_argument("--no-cpg", action="store_true",
                    help="shp: write no .cpg and LDID 0 (encoding must be sniffed)")
    ap.add_argument("--cpg", help="shp: .cpg text (default GBK, or UTF-8 with --encoding utf-8)")
    ap.add_argument("--encoding", choices=("gbk", "utf-8"), default="gbk", help="shp text encoding")
    ap.add_argument("--register-encoding", choices=("utf-8", "gbk"), default="utf-8",
                    help="register CSV: UTF-8 with BOM (default) or GBK")
    ap.add_argument("--campaign-start", default="2019-03-01", help="first day of the 61-day campaign")
    ap.add_argument("--no-register", action="store_true")
    ap.add_argument("--no-sites", action="store_true")
    ap.add_argument("--no-units", action="store_true", help="write no <name>_units.csv")
    ap.add_argument("--canal-every", default="3-5", metavar="A-B",
                    help="a canal (12-30 m) every A to B blocks (default 3-5); e.g. 8-14 for a "
                         "consolidation area with long contiguous stretches")
    ap.add_argument("--truth", action="store_true",
                    help="also write <name>_truth.json listing the deliberate defects")
    ap.add_argument("--mosaic", action="store_true",
                    help="a consolidated area digitised as a coverage: neighbouring strips share "
                         "their boundary exactly (no ridges), field blocks are separated by tracks "
                         "1-2.5 m wide, no canal or highway; a few overlapping strips are planted "
                         "(listed in the truth file)")
    ap.add_argument("--campaign-share", type=float, metavar="F",
                    help="share of the area inside the campaign disc (default 0.45; 0.47 with "
                         "--mosaic, so that a little over half the parcels are transferred)")
    ap.add_argument("--project-site", action="store_true",
                    help="also write <name>_project_site.geojson: one site drawn around the "
                         "whole campaign (the forage base itself)")
    a = ap.parse_args(argv)
    if a.cpg is None:
        a.cpg = "GBK" if a.encoding == "gbk" else "UTF-8"
    a.cpg.encode("ascii")
    if a.parcels < 1:
        ap.error("--parcels must be positive")
    if a.campaign_share is None:
        a.campaign_share = 0.47 if a.mosaic else 0.45
    if not 0 < a.campaign_share < 0.6:
        ap.error("--campaign-share must be between 0 and 0.6")
    try:
        a.start = datetime.date.fromisoformat(a.campaign_start)
    except ValueError:
        ap.error("--campaign-start must be YYYY-MM-DD")
    return a


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    _check_gbk()
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    global CANAL_EVERY
    lo, hi = (int(v) for v in args.canal_every.split("-"))
    CANAL_EVERY = (lo, hi)
    lay = build_layout(args.parcels, args.seed, args.mosaic, args.campaign_share)
    # Fixed "last update" date for the DBF / GeoPackage: a week after the
    # campaign ended, as if exported then.
    export_date = args.start + datetime.timedelta(days=CAMPAIGN_DAYS + 7)

    pw = ParcelWriter(args, export_date)
    reg = None
    if not args.no_register:
        reg = RegisterWriter(os.path.join(args.out, args.name + "_register.csv"),
                             args.register_encoding, args.seed, lay.est_parcels, args.start)

    n = 0
    area = 0.0
    counts = {s: 0 for s in STATUSES}
    unregistered = 0
    refused = []
    truth = {k: [] for k in ("scmjm_off", "lzmj_off", "holes", "multipart", "no_register")}
    if args.mosaic:
        truth["overlaps"] = []
    ponds = 0
    for vill in lay.villages:
        parcels = generate_village(lay, vill, args.seed, vill["serial"] == 0)
        ponds += len({p["block"] for p in parcels if p["lowcut"] or p["highcut"]})
        for p in parcels:
            pw.write(p)
            n += 1
            area += p["SCMJ"]
            if p["registered"]:
                counts[p["status"]] += 1
                if reg is not None:
                    reg.add(p)
                if p["status"] == STATUS_REFUSED:
                    refused.append((p["dist"], p["cx"], p["cy"], p["DKBM"]))
            else:
                unregistered += 1
            if args.truth:
                for key, flag in (("scmjm_off", p["scmjm_off"]), ("lzmj_off", p["lzmj_off"]),
                                  ("holes", p["kind"] == "hole"),
                                  ("multipart", p["kind"] == "multipart"),
                                  ("no_register", not p["registered"])):
                    if flag:
                        truth[key].append(p["DKBM"])
                if "overlaps" in p:
                    truth["overlaps"].append([p["DKBM"], p["overlaps"]])
    pw.close()
    if reg is not None:
        reg.close()

    sites = None
    if not args.no_sites:
        sites = write_sites(os.path.join(args.out, args.name + "_sites.geojson"),
                            args.crs, lay, refused)

    project = None
    if args.project_site:
        project = write_project_site(os.path.join(args.out, args.name + "_project_site.geojson"),
                                     args.crs, lay, args.seed)

    if not args.no_units:
        with open(os.path.join(args.out, args.name + "_units.csv"), "w", encoding="utf-8",
                  newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["code", "name"])
            for code, name in lay.towns:
                w.writerow([code, name])
            for v in lay.villages:
                w.writerow([v["code"], v["name"]])

    area_mu = area * SQM_TO_MU
    if args.truth:
        truth.update({
            "parcels": n, "area_m2": round(area, 2), "area_mu": round(area_mu, 2),
            "register_rows": reg.rows if reg else 0,
            "status_counts": counts, "unregistered": unregistered,
            "towns": len(lay.towns), "villages": len(lay.villages),
            "blocks": len(lay.blocks), "blocks_with_pond": ponds,
            "campaign_centre": [round(c, 3) for c in lay.campaign_centre],
            "campaign_radius_m": round(lay.campaign_radius, 1),
            "register_exact_duplicates": reg.dup_exact if reg else [],
            "register_duplicate_keys_other_date": reg.dup_keys if reg else [],
        })
        if sites:
            truth["sites_mu"] = dict(sites[0])
            truth["silage_site_over_refused_parcel"] = sites[1]
        if project:
            truth["project_site_mu"] = project
        with open(os.path.join(args.out, args.name + "_truth.json"), "w", encoding="utf-8") as fh:
            json.dump(truth, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")

    print("parcels=%d area_mu=%.2f %s 无登记=%d register_rows=%d" % (
        n, area_mu, " ".join("%s=%d" % (s, counts[s]) for s in STATUSES), unregistered,
        reg.rows if reg else 0))
    print("%s: %.1f s" % (os.path.join(args.out, args.name), time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
