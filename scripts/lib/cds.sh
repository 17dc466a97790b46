# Sourced by scripts/tsad: class-data sharing (AppCDS) for the launcher's JVM. A tsad command loads ~6,500 classes
# (Hadoop, protobuf, JavaCPP, libtorch's bindings, ...) from ~200 jars; mapping them from an archive instead takes
# ~0.7 s off every command (docs/benchmarks.md, "What the launcher's JVM options are worth"). The archive is dumped from the committed class list
# (scripts/lib/tsad.classlist, made by scripts/cds-classlist.sh) the first time the launcher runs after a build,
# and again whenever the JVM or any jar changes. The JVM checks the archive against the class path itself and runs
# without it on any mismatch, so a stale archive costs speed, never correctness.
# Needs $root and $java_cp (the launcher's class path: explicit jars in a fixed order, no directories, as CDS
# requires). Sets cds_opts. TSAD_CDS=off runs without an archive; TSAD_CDS=record:DIR writes each run's loaded
# classes to DIR (for scripts/cds-classlist.sh).
cds_opts=()
case "${TSAD_CDS:-on}" in
  off) return 0 ;;
  record:*)
    mkdir -p "${TSAD_CDS#record:}"
    cds_opts=(-Xshare:off "-XX:DumpLoadedClassList=$(cd "${TSAD_CDS#record:}" && pwd)/tsad-$$.classlist")
    return 0 ;;
esac
cds_dir="$root/mr-train/target/cds"
cds_archive="$cds_dir/tsad.jsa"
cds_list="$root/scripts/lib/tsad.classlist"
[[ -f "$cds_list" ]] || return 0
# What the archive was made from: the JVM, the class list and every jar (path, size, modification time).
cds_stamp="$(readlink -f "$(command -v java)" || true) $(stat -c '%s %Y' "$cds_list" || true)
$(tr ':' '\n' <<< "$java_cp" | xargs -d "\n" stat -c '%n %s %Y' || true)"
cds_current() { [[ -f "$cds_archive" && "$(cat "$cds_dir/stamp" 2>/dev/null)" == "$cds_stamp" ]]; }
if ! cds_current; then
  if [[ "$(cat "$cds_dir/failed" 2>/dev/null)" == "$cds_stamp" ]]; then
    return 0   # this build's dump already failed once; see dump.log
  fi
  # A checkout this user cannot write to runs without an archive rather than failing.
  mkdir -p "$cds_dir" 2> /dev/null && [[ -w "$cds_dir" ]] || return 0
  # One launcher dumps while the others starting meanwhile wait for it, then use its archive.
  exec 9> "$cds_dir/lock"
  if command -v flock > /dev/null; then flock 9; fi
  if ! cds_current; then
    echo "tsad: writing the class-data archive for this build (once, ~10 s; TSAD_CDS=off skips it)..." >&2
    if java -Xshare:dump -XX:SharedClassListFile="$cds_list" -XX:SharedArchiveFile="$cds_archive.tmp" \
        -cp "$java_cp" > "$cds_dir/dump.log" 2>&1; then
      mv -f "$cds_archive.tmp" "$cds_archive"
      echo "$cds_stamp" > "$cds_dir/stamp"
    else
      rm -f "$cds_archive.tmp"
      echo "$cds_stamp" > "$cds_dir/failed"
      echo "tsad: could not write the class-data archive (see $cds_dir/dump.log); running without it" >&2
    fi
  fi
  exec 9>&-
  cds_current || return 0
fi
cds_opts=(-Xshare:auto "-XX:SharedArchiveFile=$cds_archive")
