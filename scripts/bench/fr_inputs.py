#!/usr/bin/python3
"""Register and site for the French cadastral mosaic in the benchmark.

The commune of Épinay-sur-Orge (../shared/data/fr-cadastre-91216, 4,241
parcels, EPSG:4326 GeoJSON, key `id`) has no transfer register, so one is
made the way the generated data makes its own: a campaign disc around the
parcels' median centre holding a little over half of them, signed over 61
days from the centre outward (2019-03-01 .. 2019-04-30), with 2.5 % refused
and 0.5 % disputed parcels inside it, the parcels outside pending, and 3 %
of all parcels without a register row. The site is a 600 m x 400 m
rectangle over the centre, written in EPSG:4326 like the parcels.

Deterministic (fixed seed). Usage: fr_inputs.py PARCELS.json OUT_DIR
writes OUT_DIR/fr_register.csv (UTF-8 with BOM, the generated register's
Chinese headers) and OUT_DIR/fr_sites.geojson."""
import csv
import datetime
import math
import os
import random
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
HEADER = ["地块编码", "承包方", "流转状态", "签约日期", "流转面积", "流入方", "合同编号"]
SHARE = 0.55          # parcels inside the campaign disc
SITE_W, SITE_H = 600.0, 400.0


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = random.Random("fr-91216")
    wgs = osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(32631)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_utm = osr.CoordinateTransformation(wgs, utm)
    to_wgs = osr.CoordinateTransformation(utm, wgs)
    ds = ogr.Open(src)
    lyr = ds.GetLayer()
    parcels = []
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        g.Transform(to_utm)
        c = g.Centroid()
        parcels.append((f.GetField("id"), c.GetX(), c.GetY(), g.GetArea()))
    xs = sorted(p[1] for p in parcels)
    ys = sorted(p[2] for p in parcels)
    cx, cy = xs[len(xs) // 2], ys[len(ys) // 2]
    dist = sorted(math.hypot(p[1] - cx, p[2] - cy) for p in parcels)
    radius = dist[int(SHARE * (len(dist) - 1))]
    start = datetime.date(2019, 3, 1)
    with open(os.path.join(out, "fr_register.csv"), "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        n = 0
        for key, x, y, area in parcels:
            if rng.random() < 0.03:
                continue                      # no register row
            d = math.hypot(x - cx, y - cy) / radius
            r = rng.random()
            mu = "%.2f" % (area * 15 / 10000)
            if d > 1.0:
                w.writerow([key, "", "未签约", "", mu, "", ""])
            elif r < 0.025:
                w.writerow([key, "", "拒签", "", mu, "", ""])
            elif r < 0.03:
                w.writerow([key, "", "争议", "", mu, "", ""])
            else:
                n += 1
                day = max(0, min(60, round(60 * d * d + rng.randint(0, 2))))
                w.writerow([key, "", "已签约", (start + datetime.timedelta(days=day)).isoformat(), mu,
                            "Ferme d'Épinay", "LZ2019-%06d" % n])
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)):
        ring.AddPoint_2D(cx + dx * SITE_W / 2, cy + dy * SITE_H / 2)
    site = ogr.Geometry(ogr.wkbPolygon)
    site.AddGeometry(ring)
    site.Transform(to_wgs)
    path = os.path.join(out, "fr_sites.geojson")
    if os.path.exists(path):
        os.remove(path)
    sds = ogr.GetDriverByName("GeoJSON").CreateDataSource(path)
    sl = sds.CreateLayer("sites", wgs, ogr.wkbPolygon, ["COORDINATE_PRECISION=9"])
    sl.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    f = ogr.Feature(sl.GetLayerDefn())
    f.SetField("name", "ferme")
    f.SetGeometry(site)
    sl.CreateFeature(f)
    sds = None


if __name__ == "__main__":
    main()
