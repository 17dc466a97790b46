# Sourced by the benchmark scripts: the one line that says which machine a run used and how busy it was when the run
# began (this machine is shared; figures are compared by ratios measured in the same run). Extra text goes after it.
machine_line() {
  echo "machine: $(getconf _NPROCESSORS_ONLN) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average before: $(cut -d' ' -f1-3 /proc/loadavg)${1:+; $1}"
}
