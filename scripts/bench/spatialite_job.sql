-- landcons benchmark, SpatiaLite peer: the whole `landcons analyze` job in
-- SpatiaLite SQL, run by the spatialite CLI on the database that ogr2ogr
-- created from the inputs (both loads are part of the timed job):
--   ogr2ogr -f SQLite -dsco SPATIALITE=YES out.sqlite DK.shp -nln dk -nlt PROMOTE_TO_MULTI \
--           -lco GEOMETRY_NAME=geom -lco FID=fid -preserve_fid
--   ogr2ogr -update out.sqlite DK_register.csv -nln reg_raw
--   sed -e 's/@GAP@/12.0/g' -e 's/@HALF@/6.0/g' -e 's/@AS_OF@/2019-05-01/g' spatialite_job.sql \
--     | spatialite -bail out.sqlite
-- (@HALF@ = gap / 2; @SRID@ the working CRS, @GEO_SRID@ its geographic CRS for
-- ellipsoidal areas, @KEY@ the key column, @HOLDER@ the holder expression,
-- @ATTR_DEFS@ / @ATTR_COLS@ / @ATTR_SEL@ the input attributes copied to
-- parcels_out: their definitions, names, and names prefixed with "d.".)
--
-- SpatiaLite has no ST_ClusterDBSCAN, so blocks are found the way an analyst
-- does it in SpatiaLite: the union of all transferred parcels buffered by
-- gap/2 (two parcels are within `gap` of each other when their gap/2-buffers
-- meet), split into its polygons (ElementaryGeometries); each parcel belongs
-- to the polygon holding its point-on-surface (spatial index). Components
-- that hold two parcels at most `gap` apart whose polygonal buffers just miss
-- each other are then merged (see "links"). The footprint of a block is the
-- closing of SPEC §2 of its own parcels. (Splitting the already closed union
-- instead is a trap: the negative buffer can pinch a polygon in two where two
-- parcels only come near each other at a corner, and then the partition is
-- not SPEC's.)
-- Buffers: round joins, 8 segments a quadrant (SpatiaLite's default is 30).
-- Register resolution and status, the site's area under no parcel and the QA
-- overlaps as in postgis_job.sql. Results: tables parcels_out, blocks,
-- enclaves, site_overlaps, each with a registered geometry column and a
-- spatial index, site_np and qa_ov. Rows "step|NAME|epoch" mark the phases.

-- The CLI commits after every statement (SpatiaLite's ElementaryGeometries
-- opens its own transaction, so the script cannot be one); without syncing to
-- disk at each commit, like the PostGIS cluster (fsync = off).
PRAGMA synchronous = OFF;
SELECT 'step', 'prepare', (julianday('now') - 2440587.5) * 86400.0;
SELECT BufferOptions_SetQuadrantSegments(8);
-- invalid geometries repaired like landcons does (MakeValid, polygonal part)
UPDATE dk SET geom = CastToMultiPolygon(CollectionExtract(MakeValid(geom), 3)) WHERE NOT ST_IsValid(geom);

SELECT 'step', 'qa overlaps', (julianday('now') - 2440587.5) * 86400.0;
-- pairs whose interiors meet (neighbours that only touch are not) by more than 1 m²
-- (the pairs materialized before the area test, as in postgis_job.sql)
CREATE TABLE qa_ov AS
WITH o AS MATERIALIZED (
  SELECT a.fid AS fid_a, b.fid AS fid_b, a.geom AS ga, b.geom AS gb
  FROM dk a, dk b
  WHERE b.ROWID IN (SELECT ROWID FROM SpatialIndex
                    WHERE f_table_name = 'dk' AND f_geometry_column = 'geom' AND search_frame = a.geom)
    AND a.fid < b.fid AND ST_Intersects(a.geom, b.geom) AND NOT ST_Touches(a.geom, b.geom))
SELECT fid_a, fid_b, m2
FROM (SELECT fid_a, fid_b, ST_Area(CollectionExtract(ST_Intersection(ga, gb), 3)) AS m2 FROM o)
WHERE m2 > 1;

SELECT 'step', 'register+status', (julianday('now') - 2440587.5) * 86400.0;
CREATE TABLE reg_rows AS
SELECT key, class,
       CASE WHEN x GLOB '[0-9][0-9][0-9][0-9]-[0-9]*-[0-9]*' THEN
         printf('%04d-%02d-%02d', CAST(substr(x, 1, 4) AS INTEGER),
                CAST(substr(x, 6, instr(substr(x, 6), '-') - 1) AS INTEGER),
                CAST(substr(substr(x, 6), instr(substr(x, 6), '-') + 1) AS INTEGER)) END AS signed_on
FROM (SELECT trim("地块编码") AS key,
             CASE lower(trim("流转状态"))
               WHEN 'signed' THEN 'signed' WHEN '已签约' THEN 'signed' WHEN '已流转' THEN 'signed'
               WHEN 'pending' THEN 'pending' WHEN '未签约' THEN 'pending' WHEN '待签' THEN 'pending'
               WHEN 'refused' THEN 'refused' WHEN '拒签' THEN 'refused' WHEN '不同意' THEN 'refused'
               WHEN 'disputed' THEN 'disputed' WHEN '争议' THEN 'disputed' END AS class,
             replace(replace(replace(replace(replace(trim(coalesce("签约日期", '')),
                     '年', '-'), '月', '-'), '日', ''), '/', '-'), '.', '-') AS x
      FROM reg_raw)
WHERE coalesce(key, '') <> '';
CREATE TABLE reg AS
SELECT key, CASE WHEN count(DISTINCT class) > 1 THEN 'disputed' ELSE min(class) END AS class,
       min(signed_on) AS signed_on
FROM reg_rows GROUP BY key;
CREATE UNIQUE INDEX reg_key ON reg (key);

-- status as of the date, planar and ellipsoidal (geodesic, CGCS2000) areas
CREATE TABLE st AS
SELECT p.fid AS fid, p.@KEY@ AS key, @HOLDER@ AS holder, p.geom AS geom,
       ST_Area(p.geom) AS planar_m2,
       ST_Area(ST_Transform(p.geom, @GEO_SRID@), 1) AS ellipsoidal_m2,
       CASE WHEN r.key IS NULL THEN 'unregistered'
            WHEN r.class = 'signed' AND r.signed_on <= '@AS_OF@' THEN 'transferred'
            WHEN r.class = 'signed' THEN 'pending'
            ELSE r.class END AS status,
       r.signed_on AS signed_on
FROM dk p LEFT JOIN reg r ON r.key = p.@KEY@;
CREATE UNIQUE INDEX st_fid ON st (fid);

SELECT 'step', 'clusters', (julianday('now') - 2440587.5) * 86400.0;
CREATE TABLE dil (id INTEGER PRIMARY KEY);
SELECT AddGeometryColumn('dil', 'geom', @SRID@, 'MULTIPOLYGON', 'XY');
INSERT INTO dil (id, geom)
SELECT 1, CastToMultiPolygon(ST_Union(ST_Buffer(geom, @HALF@))) FROM st WHERE status = 'transferred';
SELECT ElementaryGeometries('dil', 'geom', 'comp', 'comp_id', 'parent_id');
CREATE TABLE pos (fid INTEGER PRIMARY KEY, key TEXT, status TEXT, planar_m2 REAL);
SELECT AddGeometryColumn('pos', 'pt', @SRID@, 'POINT', 'XY');
INSERT INTO pos (fid, key, status, planar_m2, pt)
SELECT fid, key, status, planar_m2, ST_PointOnSurface(geom) FROM st;
SELECT CreateSpatialIndex('pos', 'pt');
-- component outer, points inner: SpatiaLite then reuses the prepared component.
-- The "+" keeps SQLite from scanning pos by an automatic index on status and
-- re-running the spatial-index subquery for every row (100x slower).
CREATE TABLE memb AS
SELECT p.fid AS fid, p.key AS key, p.planar_m2 AS planar_m2, c.comp_id AS comp_id
FROM comp c, pos p
WHERE p.ROWID IN (SELECT ROWID FROM SpatialIndex
                  WHERE f_table_name = 'pos' AND f_geometry_column = 'pt' AND search_frame = c.geom)
  AND +p.status = 'transferred' AND ST_Contains(c.geom, p.pt);
-- The gap/2 buffers are polygons inscribed in the round buffers (8 segments a
-- quadrant), so the buffers of two parcels slightly less than `gap` apart
-- (from about 0.995 gap, corner to corner) may not meet. At 300,000 parcels
-- and 12 m this splits 4 blocks. Such pairs are found by distance between
-- transferred parcels of different components, and their components are
-- merged (the comp_id test comes before ST_Distance, so only pairs across
-- components are measured).
CREATE TABLE tp (fid INTEGER PRIMARY KEY, comp_id INTEGER);
SELECT AddGeometryColumn('tp', 'geom', @SRID@, 'MULTIPOLYGON', 'XY');
INSERT INTO tp (fid, comp_id, geom) SELECT m.fid, m.comp_id, s.geom FROM memb m JOIN st s USING (fid);
SELECT CreateSpatialIndex('tp', 'geom');
CREATE TABLE links AS
SELECT DISTINCT a.comp_id AS ca, b.comp_id AS cb
FROM tp a, tp b
WHERE b.ROWID IN (SELECT ROWID FROM SpatialIndex
                  WHERE f_table_name = 'tp' AND f_geometry_column = 'geom'
                    AND search_frame = BuildMbr(MbrMinX(a.geom) - @GAP@, MbrMinY(a.geom) - @GAP@,
                                                MbrMaxX(a.geom) + @GAP@, MbrMaxY(a.geom) + @GAP@))
  AND +a.comp_id < +b.comp_id AND ST_Distance(a.geom, b.geom) <= @GAP@;
CREATE TABLE grp AS
WITH RECURSIVE e(a, b) AS (SELECT ca, cb FROM links UNION SELECT cb, ca FROM links),
reach(root, c) AS (SELECT comp_id, comp_id FROM comp
                   UNION SELECT r.root, e.b FROM reach r JOIN e ON e.a = r.c)
SELECT c AS comp_id, min(root) AS grp FROM reach GROUP BY c;
CREATE TABLE bsum AS
SELECT g.grp AS grp, count(*) AS parcel_count, sum(m.planar_m2) AS parcel_m2, min(m.key) AS min_key,
       group_concat(DISTINCT substr(m.key, 1, 12)) AS villages,
       group_concat(DISTINCT substr(m.key, 1, 9)) AS townships
FROM memb m JOIN grp g USING (comp_id) GROUP BY g.grp;
CREATE TABLE bord AS
SELECT grp, row_number() OVER (ORDER BY parcel_m2 DESC, min_key) AS block_id
FROM bsum;

SELECT 'step', 'footprints', (julianday('now') - 2440587.5) * 86400.0;
-- The footprint of each block from its own parcels (SPEC §2: the union of the
-- block's parcels closed by the gap). Buffering the component polygons of the
-- one big union by -gap/2 would be cheaper, but GEOS computes that big union
-- a little differently (a few vertices fewer where it had to snap): footprint
-- areas then differ by up to 2.5e-6 at 300,000 parcels and 12 m.
CREATE TABLE fp (block_id INTEGER PRIMARY KEY);
SELECT AddGeometryColumn('fp', 'geom', @SRID@, 'MULTIPOLYGON', 'XY');
INSERT INTO fp (block_id, geom)
SELECT b.block_id, CastToMultiPolygon(ST_Buffer(ST_Union(ST_Buffer(t.geom, @HALF@)), -@HALF@))
FROM bord b JOIN grp g ON g.grp = b.grp JOIN tp t ON t.comp_id = g.comp_id
GROUP BY b.block_id ORDER BY b.block_id;

SELECT 'step', 'enclaves', (julianday('now') - 2440587.5) * 86400.0;
SELECT ElementaryGeometries('fp', 'geom', 'fpoly', 'poly_id', 'parent_fp');
CREATE TABLE ffill (poly_id INTEGER PRIMARY KEY, block_id INTEGER, nholes INTEGER, area REAL);
SELECT AddGeometryColumn('ffill', 'geom', @SRID@, 'POLYGON', 'XY');
INSERT INTO ffill (poly_id, block_id, nholes, area, geom)
SELECT poly_id, block_id, nholes, ST_Area(g), g
FROM (SELECT poly_id, block_id, ST_NumInteriorRing(geom) AS nholes,
             ST_MakePolygon(ST_ExteriorRing(geom)) AS g FROM fpoly);
-- a point inside several hole-filled footprints belongs to the smallest
CREATE TABLE encl AS
SELECT fid, key, block_id FROM (
  SELECT p.fid AS fid, p.key AS key, f.block_id AS block_id,
         row_number() OVER (PARTITION BY p.fid ORDER BY f.area) AS rn
  FROM ffill f, pos p
  WHERE p.ROWID IN (SELECT ROWID FROM SpatialIndex
                    WHERE f_table_name = 'pos' AND f_geometry_column = 'pt' AND search_frame = f.geom)
    AND +p.status <> 'transferred' AND ST_Contains(f.geom, p.pt))
WHERE rn = 1;
CREATE TABLE holes (hole_id INTEGER PRIMARY KEY, block_id INTEGER);
SELECT AddGeometryColumn('holes', 'geom', @SRID@, 'POLYGON', 'XY');
INSERT INTO holes (block_id, geom)
WITH RECURSIVE h(poly_id, i, n) AS (
  SELECT poly_id, 1, nholes FROM ffill WHERE nholes > 0
  UNION ALL SELECT poly_id, i + 1, n FROM h WHERE i < n)
SELECT f.block_id, ST_MakePolygon(ST_InteriorRingN(f.geom, h.i))
FROM h JOIN fpoly f USING (poly_id);
CREATE TABLE gap_encl AS
SELECT h.block_id AS block_id, h.geom AS geom FROM holes h
WHERE NOT EXISTS (SELECT 1 FROM pos p
                  WHERE p.ROWID IN (SELECT ROWID FROM SpatialIndex
                                    WHERE f_table_name = 'pos' AND f_geometry_column = 'pt'
                                      AND search_frame = h.geom)
                    AND ST_Contains(h.geom, p.pt));

SELECT 'step', 'site overlaps', (julianday('now') - 2440587.5) * 86400.0;
-- each site (numbered in feature order) against every parcel it meets: the
-- planar area of the intersection, slivers under 0.01 m² dropped as landcons does
CREATE TABLE site_ov AS
SELECT t.site_id AS site_id, s.fid AS fid, s.key AS key, s.status AS status,
       CastToMultiPolygon(CollectionExtract(ST_Intersection(s.geom, t.geom), 3)) AS geom
FROM (SELECT row_number() OVER (ORDER BY fid) AS site_id, geom FROM site) t
JOIN st s ON MbrIntersects(s.geom, t.geom) AND ST_Intersects(s.geom, t.geom);

SELECT 'step', 'site no-parcel', (julianday('now') - 2440587.5) * 86400.0;
-- (SpatiaLite gives NULL for an empty difference: the site is then wholly covered)
CREATE TABLE site_np AS
SELECT site_id, area_m2,
       CASE WHEN u IS NULL THEN area_m2 ELSE coalesce(ST_Area(ST_Difference(g, u)), 0) END AS no_parcel_m2
FROM (SELECT t.site_id AS site_id, t.geom AS g, ST_Area(t.geom) AS area_m2,
             (SELECT ST_Union(o.geom) FROM site_ov o
              WHERE o.site_id = t.site_id AND ST_Area(o.geom) >= 0.01) AS u
      FROM (SELECT row_number() OVER (ORDER BY fid) AS site_id, geom FROM site) t) x;

SELECT 'step', 'write', (julianday('now') - 2440587.5) * 86400.0;
CREATE TABLE parcels_out (fid INTEGER PRIMARY KEY, source_fid INTEGER, key TEXT, township TEXT,
  village TEXT, holder TEXT, status TEXT, signed_on TEXT, planar_m2 REAL, planar_mu REAL,
  ellipsoidal_m2 REAL, ellipsoidal_mu REAL, block_id INTEGER, enclave_of INTEGER,
  @ATTR_DEFS@);
SELECT AddGeometryColumn('parcels_out', 'geom', @SRID@, 'MULTIPOLYGON', 'XY');
INSERT INTO parcels_out (source_fid, key, township, village, holder, status, signed_on, planar_m2,
  planar_mu, ellipsoidal_m2, ellipsoidal_mu, block_id, enclave_of,
  @ATTR_COLS@, geom)
SELECT s.fid, s.key, substr(s.key, 1, 9), substr(s.key, 1, 12), s.holder, s.status, s.signed_on,
       s.planar_m2, s.planar_m2 * 15 / 10000, s.ellipsoidal_m2, s.ellipsoidal_m2 * 15 / 10000,
       b.block_id, e.block_id,
       -- all input attributes, as landcons writes them
       @ATTR_SEL@,
       s.geom
FROM st s
JOIN dk d ON d.fid = s.fid
LEFT JOIN memb m ON m.fid = s.fid
LEFT JOIN grp g ON g.comp_id = m.comp_id
LEFT JOIN bord b ON b.grp = g.grp
LEFT JOIN encl e ON e.fid = s.fid
ORDER BY s.fid;
SELECT CreateSpatialIndex('parcels_out', 'geom');

CREATE TABLE enclaves (enclave_id INTEGER PRIMARY KEY, kind TEXT, key TEXT, block_id INTEGER,
  status TEXT, holder TEXT, area_m2 REAL, area_mu REAL);
SELECT AddGeometryColumn('enclaves', 'geom', @SRID@, 'MULTIPOLYGON', 'XY');
INSERT INTO enclaves (kind, key, block_id, status, holder, area_m2, area_mu, geom)
SELECT 'parcel', e.key, e.block_id, s.status, s.holder, s.planar_m2, s.planar_m2 * 15 / 10000, s.geom
FROM encl e JOIN st s ON s.fid = e.fid
UNION ALL
SELECT 'gap', NULL, g.block_id, NULL, NULL, ST_Area(g.geom), ST_Area(g.geom) * 15 / 10000,
       CastToMultiPolygon(g.geom)
FROM gap_encl g;
SELECT CreateSpatialIndex('enclaves', 'geom');

CREATE TABLE blocks (block_id INTEGER PRIMARY KEY, parcel_count INTEGER, parcel_m2 REAL,
  parcel_mu REAL, footprint_m2 REAL, footprint_mu REAL, footprint_ellipsoidal_mu REAL,
  gained_mu REAL, enclave_count INTEGER, enclave_mu REAL, villages TEXT, townships TEXT);
SELECT AddGeometryColumn('blocks', 'geom', @SRID@, 'MULTIPOLYGON', 'XY');
INSERT INTO blocks
SELECT b.block_id, s.parcel_count, s.parcel_m2, s.parcel_m2 * 15 / 10000,
       ST_Area(f.geom), ST_Area(f.geom) * 15 / 10000,
       ST_Area(ST_Transform(f.geom, @GEO_SRID@), 1) * 15 / 10000,
       (ST_Area(f.geom) - s.parcel_m2) * 15 / 10000,
       coalesce(e.n, 0), coalesce(e.m2, 0) * 15 / 10000, s.villages, s.townships, f.geom
FROM bord b JOIN bsum s USING (grp) JOIN fp f ON f.block_id = b.block_id
LEFT JOIN (SELECT block_id, count(*) AS n, sum(area_m2) AS m2 FROM enclaves GROUP BY block_id) e
       ON e.block_id = b.block_id
ORDER BY b.block_id;
SELECT CreateSpatialIndex('blocks', 'geom');

CREATE TABLE site_overlaps (fid INTEGER PRIMARY KEY, site_id INTEGER, key TEXT, status TEXT,
  overlap_m2 REAL, overlap_mu REAL);
SELECT AddGeometryColumn('site_overlaps', 'geom', @SRID@, 'MULTIPOLYGON', 'XY');
INSERT INTO site_overlaps (site_id, key, status, overlap_m2, overlap_mu, geom)
SELECT site_id, key, status, ST_Area(geom), ST_Area(geom) * 15 / 10000, geom
FROM site_ov WHERE ST_Area(geom) >= 0.01 ORDER BY site_id, fid;
SELECT CreateSpatialIndex('site_overlaps', 'geom');

SELECT 'step', 'end', (julianday('now') - 2440587.5) * 86400.0;
