"""A private, throw-away PostgreSQL + PostGIS cluster for reference checks.

Each PostGIS() starts its own cluster in a fresh temporary folder (data dir,
unix socket dir and server log inside it), listening on a unix socket only
(no TCP), creates database 'ref' with the postgis extension, and on exit
stops the cluster and removes the folder. Several test processes may run at
once (ctest -j): nothing is shared between them.

    from pgref import PostGIS
    PostGIS.require()        # exits 77 (ctest SKIP) when none can be started
    with PostGIS() as pg:
        pg.load("parcels.shp", "parcels", s_srs="EPSG:4530",
                extra=("-oo", "ENCODING=CP936"))
        rows = pg.query("SELECT fid, ST_Area(geom) FROM parcels ORDER BY fid")
        pg.execute("CREATE INDEX ON parcels (fid); ANALYZE parcels")

API
---
PostGIS.require()   exits with 77 when available() is False
PostGIS.available() -> bool
    True when initdb, pg_ctl, postgres, psql, the postgis extension and
    ogr2ogr are present (and, as root, runuser and the 'postgres' user).
PostGIS.why_unavailable() -> str | None
    The reason available() is False, for a SKIP message; None when available.

PostGIS(port=None, keep_log=False)
    port: the cluster's port (it only names the socket file); default derived
    from the pid. Starting happens in __enter__ (or start()); stop() and
    __exit__ stop it and remove the folder, also when the body raises. An
    atexit hook and a watchdog process (which notices when this process
    dies, even by SIGKILL, e.g. a ctest timeout) do the same as a last resort.
    keep_log=True prints the server log to stderr on stop.

pg.load(path, table, layer=None, t_srs=None, s_srs=None, extra=())
    ogr2ogr's `path` (its `layer`, default: the only/first one) into table
    `table` (replaced if it exists) in schema public:
      -nlt PROMOTE_TO_MULTI, -lco GEOMETRY_NAME=geom, -lco FID=fid,
      -lco PRECISION=NO (real fields become double precision, not
      numeric(w,p), integers int4/int8, strings varchar), -lco SPATIAL_INDEX
      GIST (the default).
    The source FIDs are kept in column fid (-preserve_fid, left out when
    extra has -explodecollections or -unsetFid): shapefile FIDs start at 0,
    GeoPackage ones at 1 (ogr2ogr alone would renumber shapefiles from 1).
    Column names are laundered by ogr2ogr (lower case, '-' and ' ' become
    '_'); pass extra=('-lco', 'LAUNDER=NO') to keep them.
    s_srs / t_srs become -s_srs / -t_srs (t_srs reprojects, s_srs alone
    overrides the source CRS). `extra` is appended to the command line.
    Text is stored as UTF-8. For a GBK shapefile without a .cpg (or with a
    wrong one) pass extra=('-oo', 'ENCODING=CP936') (open option of the
    shapefile driver, overrides .cpg/LDID) or equivalently
    extra=('--config', 'SHAPE_ENCODING', 'CP936'). Without it, GBK bytes in
    a shapefile with LDID 0 and no .cpg are passed through unrecoded and
    the load fails ("Non UTF-8 content found") rather than garbling text.
    Raises RuntimeError with ogr2ogr's stderr on failure.
pg.query(sql, params=None) -> list[tuple]
    Runs one statement and returns its rows as tuples ([] for statements that
    return nothing). Parameters are psycopg2-style (%s with a sequence,
    %(name)s with a dict; a literal % must then be written %%). Types:
    integers -> int, double precision/real -> float (float8 round-trips
    exactly: extra_float_digits=3), numeric -> int when integral text
    ('12'), else float; NULL -> None; text -> str; boolean -> bool.
    Geometries and bytea come back as the driver gives them (psycopg2: hex
    EWKB str / memoryview; psql: GeoJSON dict / '\\x..' str): select
    ST_AsText / ST_X / encode(...) ... explicitly instead.
pg.execute(sql, params=None)
    DDL / any statements; several separated by ';' are fine (without params).
pg.load_csv(path, table, columns=None, delimiter=",", header=True)
    Creates `table` (dropped first if it exists) with text columns `columns`
    (default: the names in the CSV header line) and COPYs the CSV into it.
pg.dsn      libpq connection string, e.g. for psycopg2.connect(pg.dsn).
pg.ogr_dsn  "PG:..." string for ogr.Open / ogr2ogr.
pg.psql(*args, input=None) -> CompletedProcess  runs psql on database ref.
pg.timings  dict: seconds spent in 'initdb', 'start' (server up), 'db'
            (CREATE DATABASE + EXTENSION), later 'stop'.

Every connection runs with autocommit (a failing statement does not poison
the next ones), extra_float_digits=3, client_encoding UTF8, and the server
with max_parallel_workers_per_gather=0 (no parallel plans: aggregate sums
are then summed in one deterministic order), jit=off, fsync=off,
synchronous_commit=off, full_page_writes=off, autovacuum=off (ANALYZE
yourself if plans matter).

Driver: psycopg2 when importable (Debian package python3-psycopg2), else
psql through subprocess (rows transferred as JSON, column types from
\gdesc, so types match the list above; query() there takes SELECT / WITH /
VALUES / TABLE and INSERT/UPDATE/DELETE ... RETURNING, other statements are
executed and give []). Set PGREF_DRIVER=psql to force the latter.

As root, the server runs as the 'postgres' OS user (runuser), which owns the
temporary folder; as another user it runs as that user. The folder is made
under $PGREF_TMPDIR, else /tmp (it must be reachable by 'postgres', so the
caller's TMPDIR is not used). PGREF_PGBIN overrides the PostgreSQL bin dir
(default: the newest /usr/lib/postgresql/*/bin).

Run `pgref.py [psql args]` to get a throw-away cluster and a psql on it.
"""
import atexit
import decimal
import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

__all__ = ["PostGIS"]

DBNAME = "ref"
SUPERUSER = "postgres"

SERVER_CONF = """
# --- pgref: private throw-away test cluster, tuned for speed ---
listen_addresses = ''
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
shared_buffers = 32MB
max_connections = 20
max_parallel_workers_per_gather = 0
jit = off
autovacuum = off
huge_pages = off
logging_collector = off
log_min_messages = warning
"""

# Watchdog: waits for EOF on stdin (its parent died or finished), then stops
# the cluster with pg_ctl (immediate) if it still runs, and removes the folder.
# It forks away first: ctest, on a timeout, SIGKILLs the test's whole process
# tree (found through parent pids), which must not include the watchdog. Its
# stdout is a pipe held open until it is done: stop() reads it to its end.
_WATCHDOG = r"""
import os, shutil, signal, subprocess, sys
runas, pg_ctl, datadir, root = sys.argv[1] == "1", sys.argv[2], sys.argv[3], sys.argv[4]
if os.fork() > 0:
    os._exit(0)
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
try:
    sys.stdin.buffer.read()
except BaseException:
    pass
if os.path.exists(os.path.join(datadir, "postmaster.pid")):
    cmd = [pg_ctl, "-D", datadir, "-m", "immediate", "-w", "-t", "30", "stop"]
    if runas:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
shutil.rmtree(root, ignore_errors=True)
"""


def _pg_bindir():
    env = os.environ.get("PGREF_PGBIN")
    if env:
        return env
    cands = [d for d in glob.glob("/usr/lib/postgresql/*/bin")
             if os.path.exists(os.path.join(d, "initdb"))]

    def ver(d):
        try:
            return float(d.split("/")[-2])
        except ValueError:
            return 0.0
    return max(cands, key=ver) if cands else None


def _clean_env():
    """The caller's PG* variables (PGHOST, PGDATABASE, ...) must not leak."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PG") and k != "LD_PRELOAD"}
    env["PGCLIENTENCODING"] = "UTF8"
    env["PGOPTIONS"] = "-c extra_float_digits=3"
    return env


def _numeric(s):
    """numeric text -> int if integral text, else float."""
    if s is None:
        return None
    if s.lstrip("-").isdigit():
        return int(s)
    return float(s)


class PostGIS:
    _instances = set()

    # ------------------------------------------------------------ discovery
    @staticmethod
    def why_unavailable():
        bindir = _pg_bindir()
        if not bindir:
            return "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) are absent"
        for b in ("initdb", "pg_ctl", "postgres", "psql", "pg_config"):
            if not os.access(os.path.join(bindir, b), os.X_OK):
                return f"{bindir}/{b} is absent"
        try:
            share = subprocess.run([os.path.join(bindir, "pg_config"), "--sharedir"],
                                   capture_output=True, text=True, errors="replace",
                                   check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError) as e:
            return f"pg_config --sharedir failed: {e}"
        if not os.path.exists(os.path.join(share, "extension", "postgis.control")):
            return f"the postgis extension is absent ({share}/extension/postgis.control)"
        if not shutil.which("ogr2ogr"):
            return "ogr2ogr (gdal-bin) is absent"
        if os.geteuid() == 0:
            if not shutil.which("runuser"):
                return "runuser is absent (needed to run postgres as root)"
            try:
                pwd.getpwnam(SUPERUSER)
            except KeyError:
                return "there is no 'postgres' OS user to run the server as"
        return None

    @classmethod
    def require(cls):
        """Exits with ctest's skip code (77) when no PostGIS can be started."""
        if not cls.available():
            print("SKIP:", cls.why_unavailable())
            sys.exit(77)

    @classmethod
    def available(cls):
        return cls.why_unavailable() is None

    # ------------------------------------------------------------ lifecycle
    def __init__(self, port=None, keep_log=False):
        self.port = int(port) if port else 20000 + os.getpid() % 30000
        self.keep_log = keep_log
        self.bindir = _pg_bindir()
        self.root = None
        self.datadir = self.sockdir = self.logfile = None
        self.timings = {}
        self._conn = None
        self._watchdog = None
        self._running = False
        self._as_root = os.geteuid() == 0
        drv = os.environ.get("PGREF_DRIVER", "")
        self._psycopg2 = None
        if drv != "psql":
            try:
                import psycopg2
                import psycopg2.extensions
                self._psycopg2 = psycopg2
            except ImportError:
                if drv == "psycopg2":
                    raise

    @property
    def driver(self):
        return "psycopg2" if self._psycopg2 else "psql"

    def _bin(self, name):
        return os.path.join(self.bindir, name)

    def _server_cmd(self, args):
        return (["runuser", "-u", SUPERUSER, "--"] if self._as_root else []) + args

    def _run_server_cmd(self, args, what, timeout=120):
        r = subprocess.run(self._server_cmd(args), cwd=self.root, env=_clean_env(),
                           capture_output=True, text=True, errors="replace", timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"pgref: {what} failed ({r.returncode}):\n{r.stdout}{r.stderr}"
                               f"{self._log_tail()}")
        return r

    def _log_tail(self):
        try:
            with open(self.logfile, encoding="utf-8", errors="replace") as f:
                return "\n--- server log ---\n" + "".join(f.readlines()[-30:])
        except (OSError, TypeError):
            return ""

    def start(self):
        why = self.why_unavailable()
        if why:
            raise RuntimeError("pgref: PostGIS unavailable: " + why)
        base = os.environ.get("PGREF_TMPDIR") or "/tmp"
        self.root = tempfile.mkdtemp(prefix="pgref-", dir=base)
        PostGIS._instances.add(self)
        self.datadir = os.path.join(self.root, "data")
        self.sockdir = os.path.join(self.root, "sock")
        self.logfile = os.path.join(self.root, "server.log")
        os.mkdir(self.sockdir, 0o700)
        open(self.logfile, "w").close()
        if self._as_root:
            pw = pwd.getpwnam(SUPERUSER)
            for p in (self.root, self.sockdir, self.logfile):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        # The watchdog cleans up if this process dies without running stop().
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, "1" if self._as_root else "0",
             self._bin("pg_ctl"), self.datadir, self.root],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            cwd="/", start_new_session=True, close_fds=True)
        self._watchdog.wait()  # the intermediate process; the watchdog runs on
        try:
            t0 = time.monotonic()
            self._run_server_cmd([self._bin("initdb"), "-D", self.datadir, "-U", SUPERUSER,
                                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                                  "--no-sync", "--no-instructions"], "initdb")
            with open(os.path.join(self.datadir, "postgresql.conf"), "a") as f:
                f.write(SERVER_CONF)
                f.write(f"port = {self.port}\nunix_socket_directories = '{self.sockdir}'\n")
            t1 = time.monotonic()
            self._run_server_cmd([self._bin("pg_ctl"), "-D", self.datadir, "-l", self.logfile,
                                  "-w", "-t", "60", "start"], "pg_ctl start")
            self._running = True
            t2 = time.monotonic()
            self._psql_checked(["-d", "postgres", "-c", f"CREATE DATABASE {DBNAME}"])
            self._psql_checked(["-d", DBNAME, "-c", "CREATE EXTENSION postgis"])
            t3 = time.monotonic()
            self.timings.update(initdb=t1 - t0, start=t2 - t1, db=t3 - t2)
            if self._psycopg2:
                self._connect()
        except BaseException:
            self.stop()
            raise
        return self

    def _connect(self):
        pg = self._psycopg2
        self._conn = pg.connect(self.dsn, options="-c extra_float_digits=3")
        self._conn.autocommit = True
        self._conn.set_client_encoding("UTF8")
        ext = pg.extensions
        num = ext.new_type(ext.DECIMAL.values, "PGREF_NUMERIC", lambda s, cur: _numeric(s))
        ext.register_type(num, self._conn)

    def stop(self):
        t0 = time.monotonic()
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None
        if self._running:
            r = subprocess.run(self._server_cmd([self._bin("pg_ctl"), "-D", self.datadir,
                                                 "-m", "fast", "-w", "-t", "60", "stop"]),
                               cwd=self.root, env=_clean_env(), capture_output=True,
                               text=True, errors="replace")
            if r.returncode != 0:
                subprocess.run(self._server_cmd([self._bin("pg_ctl"), "-D", self.datadir,
                                                 "-m", "immediate", "-w", "stop"]),
                               cwd=self.root, env=_clean_env(), capture_output=True)
            self._running = False
        if self.keep_log and self.logfile:
            sys.stderr.write(self._log_tail())
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
        if self._watchdog is not None:
            try:
                self._watchdog.stdin.close()
                self._watchdog.stdout.read()  # EOF: the watchdog has exited
                self._watchdog.stdout.close()
            except Exception:
                pass
            self._watchdog = None
        PostGIS._instances.discard(self)
        self.timings["stop"] = time.monotonic() - t0

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    @classmethod
    def _stop_all(cls):
        for inst in list(cls._instances):
            try:
                inst.stop()
            except Exception:
                pass

    # ------------------------------------------------------------ connection strings
    @property
    def dsn(self):
        return f"host={self.sockdir} port={self.port} dbname={DBNAME} user={SUPERUSER}"

    @property
    def ogr_dsn(self):
        return "PG:" + self.dsn

    def psql(self, *args, input=None, db=DBNAME):
        cmd = [self._bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.sockdir,
               "-p", str(self.port), "-U", SUPERUSER, "-d", db, *args]
        return subprocess.run(cmd, input=input, capture_output=True, text=True, errors="replace",
                              env=_clean_env(), cwd=self.root)

    def _psql_checked(self, args, input=None):
        db = DBNAME
        if len(args) >= 2 and args[0] == "-d":
            db, args = args[1], args[2:]
        r = self.psql(*args, input=input, db=db)
        if r.returncode != 0:
            raise RuntimeError(f"pgref: psql {' '.join(args)} failed ({r.returncode}):\n{r.stderr}")
        return r

    # ------------------------------------------------------------ SQL
    @staticmethod
    def _literal(v):
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            if v != v:
                return "'NaN'::float8"
            if v in (float("inf"), float("-inf")):
                return "'%sInfinity'::float8" % ("-" if v < 0 else "")
            return repr(v) + "::float8"
        if isinstance(v, decimal.Decimal):
            return "'%s'::numeric" % v
        if isinstance(v, (bytes, bytearray, memoryview)):
            return "'\\x%s'::bytea" % bytes(v).hex()
        if isinstance(v, (list, tuple)):
            return "ARRAY[%s]" % ",".join(PostGIS._literal(x) for x in v)
        s = str(v)
        if "\0" in s:
            raise ValueError("NUL in a text parameter")
        return "'" + s.replace("'", "''") + "'"

    def _bind(self, sql, params):
        if params is None:
            return sql
        if isinstance(params, dict):
            return sql % {k: self._literal(v) for k, v in params.items()}
        return sql % tuple(self._literal(v) for v in params)

    def query(self, sql, params=None):
        if self._conn is not None:
            with self._conn.cursor() as cur:
                cur.execute(sql, params)
                if cur.description is None:
                    return []
                return [tuple(r) for r in cur.fetchall()]
        body = self._bind(sql, params).strip().rstrip(";").strip()
        head = body.split(None, 1)[0].upper() if body else ""
        agg = "SELECT coalesce(json_agg(pgref_t), '[]') FROM"
        if head in ("INSERT", "UPDATE", "DELETE") and "RETURNING" in body.upper():
            data_sql = f"WITH pgref_t AS (\n{body}\n) {agg} pgref_t"  # must be top level
        elif head in ("SELECT", "WITH", "VALUES", "TABLE", "("):
            data_sql = f"{agg} (\n{body}\n) AS pgref_t"
        else:
            self.execute(body)
            return []
        # \gdesc gives the column types (JSON prints float8 6000 as 6000, an
        # int); then the rows as one JSON array (NULLs, quoting, numbers exact).
        script = f"{body}\n\\gdesc\n\\echo {_SPLIT}\n{data_sql};\n"
        r = self._psql_checked(["-A", "-t", "-f", "-"], input=script)
        desc, _, data = r.stdout.partition(_SPLIT + "\n")
        types = [line.rsplit("|", 1)[-1] for line in desc.splitlines() if line]
        rows = json.loads(data, object_pairs_hook=_Pairs, parse_int=int, parse_float=float)
        out = []
        for row in rows:
            vals = [_plain(v) for _, v in row]
            for i, t in enumerate(types[:len(vals)]):
                if t in ("double precision", "real") and vals[i] is not None:
                    vals[i] = float(vals[i])
            out.append(tuple(vals))
        return out

    def execute(self, sql, params=None):
        if self._conn is not None:
            with self._conn.cursor() as cur:
                cur.execute(sql, params)
            return
        self._psql_checked(["-f", "-"], input=self._bind(sql, params))

    # ------------------------------------------------------------ loading
    def load(self, path, table, layer=None, t_srs=None, s_srs=None, extra=()):
        cmd = ["ogr2ogr", "-f", "PostgreSQL", self.ogr_dsn, path]
        if layer:
            cmd.append(layer)
        cmd += ["-nln", table, "-overwrite", "-nlt", "PROMOTE_TO_MULTI",
                "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid", "-lco", "PRECISION=NO"]
        if s_srs:
            cmd += ["-s_srs", s_srs]
        if t_srs:
            cmd += ["-t_srs", t_srs]
        extra = list(extra)
        if not {"-explodecollections", "-unsetFid", "-preserve_fid"} & set(extra):
            cmd.append("-preserve_fid")
        cmd += extra
        r = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                           env=_clean_env(), cwd=self.root)
        if r.returncode != 0:
            raise RuntimeError(f"pgref: ogr2ogr failed ({r.returncode}): {' '.join(cmd)}\n"
                               f"{r.stderr}")
        return r

    @staticmethod
    def _ident(name):
        return '"' + name.replace('"', '""') + '"'

    def load_csv(self, path, table, columns=None, delimiter=",", header=True):
        if columns is None:
            import csv
            with open(path, newline="", encoding="utf-8-sig") as f:
                columns = next(csv.reader(f, delimiter=delimiter))
        cols = ", ".join(f"{self._ident(c)} text" for c in columns)
        self.execute(f"DROP TABLE IF EXISTS {self._ident(table)}; "
                     f"CREATE TABLE {self._ident(table)} ({cols})")
        delim = self._literal(delimiter)
        copy = (f"COPY {self._ident(table)} ({', '.join(self._ident(c) for c in columns)}) "
                f"FROM STDIN WITH (FORMAT csv, HEADER {'true' if header else 'false'}, "
                f"DELIMITER {delim}, ENCODING 'UTF8')")
        with open(path, "rb") as f:
            data = f.read()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if self._conn is not None:
            import io
            with self._conn.cursor() as cur:
                cur.copy_expert(copy, io.BytesIO(data))
        else:
            r = subprocess.run([self._bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                "-h", self.sockdir, "-p", str(self.port), "-U", SUPERUSER,
                                "-d", DBNAME, "-c", copy], input=data, capture_output=True,
                               env=_clean_env(), cwd=self.root)
            if r.returncode != 0:
                raise RuntimeError(f"pgref: COPY failed: {r.stderr.decode(errors='replace')}")


_SPLIT = "--pgref-split-7c1e--"


class _Pairs(list):
    """A JSON object kept as its (key, value) pairs (duplicate column names)."""


def _plain(v):
    if isinstance(v, _Pairs):
        return {k: _plain(x) for k, x in v}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


atexit.register(PostGIS._stop_all)


if __name__ == "__main__":
    if not PostGIS.available():
        sys.exit("pgref: " + PostGIS.why_unavailable())
    with PostGIS() as pg:
        print(f"pgref: cluster in {pg.root} ({pg.dsn}), driver {pg.driver}", file=sys.stderr)
        cmd = [pg._bin("psql"), "-X", "-h", pg.sockdir, "-p", str(pg.port), "-U", SUPERUSER,
               "-d", DBNAME, *sys.argv[1:]]
        rc = subprocess.run(cmd, env=_clean_env()).returncode
    sys.exit(rc)
