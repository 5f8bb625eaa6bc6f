#!/usr/bin/env bash
# Side-by-side collectives: hccl-cpu (hccl_test -np), Open MPI and Gloo on this machine, float32,
# 2 and 4 process ranks; then communicator creation for 8 ranks. Builds what it needs (Release,
# its own build directory) and bounds every run with a timeout, so it never hangs. hccl-cpu and
# Open MPI place ranks the same way: rank r on core r mod (cores) (hccl_test -np binds by default;
# mpirun is told --bind-to core). Gloo's launcher does not bind; at 60-700x slower it would not
# matter.
#
#   scripts/compare.sh [--ranks "2 4"] [--build DIR] [--jobs N]
#
# Raw outputs stay in DIR/compare-results/ (default DIR: build/compare).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

ranks_list="2 4"
build=build/compare
jobs=$(nproc)
while [ $# -gt 0 ]; do
  case $1 in
    --ranks) ranks_list=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "usage: $0 [--ranks \"2 4\"] [--build DIR] [--jobs N]" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh || echo "warning: some Debian packages are missing; continuing" >&2

echo "== building (Release, $build)"
mkdir -p "$build"
# A new build directory skips the tests; an existing one (--build DIR) keeps its own setting, or a
# developer's later ctest would run stale test binaries.
tests=()
[ -f "$build/CMakeCache.txt" ] || tests=(-DHCCL_CPU_BUILD_TESTS=OFF)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${tests[@]}" \
  >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
grep -E "^-- (Gloo|Open MPI): not installed" "$build/configure.log"
# Listed once into a variable: `ninja ... | grep -q` under pipefail fails at random when grep
# exits before ninja has written everything (SIGPIPE), which skipped a baseline now and then.
targets=$(ninja -C "$build" -t targets all 2>/dev/null)
for target in hccl_test hccl_comm_create mpi_coll_bench mpi_comm_create gloo_coll_bench; do
  if grep -q "^$target:" <<<"$targets"; then
    cmake --build "$build" -j "$jobs" --target "$target" >"$build/$target.build.log" 2>&1 ||
      echo "$target: build FAILED (see $build/$target.build.log)"
  fi
done

# Where the targets are built (not a search: a build directory may hold other builds inside it,
# build/asan say, whose binaries are not the ones to time).
bin() {
  local d
  for d in tools/hccl_test bench/compare; do
    [ -x "$build/$d/$1" ] && { echo "$build/$d/$1"; return; }
  done
}
hccl_test=$(bin hccl_test)
hccl_comm_create=$(bin hccl_comm_create)
mpi_coll_bench=$(bin mpi_coll_bench)
mpi_comm_create=$(bin mpi_comm_create)
gloo_coll_bench=$(bin gloo_coll_bench)
[ -n "$hccl_test" ] || echo "hccl-cpu: hccl_test not built (tools/hccl_test missing or failing)"
[ -n "$mpi_coll_bench" ] || echo "Open MPI: not installed"
[ -n "$gloo_coll_bench" ] || echo "Gloo: not installed"

results=$build/compare-results
rm -rf "$results" && mkdir -p "$results"
export HCCL_IF_IP=${HCCL_IF_IP:-127.0.0.1}  # every rank is on this host
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to core:overload-allowed)

# run TOOL OP NRANKS TAG -- hccl_test-style flags: writes $results/TOOL-TAG-NRANKS.txt
run() {
  local tool=$1 op=$2 n=$3 tag=$4
  shift 5
  local out=$results/$tool-$tag-$n.txt cmd=()
  case $tool in
    hccl) [ -n "$hccl_test" ] && cmd=("$hccl_test" "$op" -np "$n" -d fp32 -o sum "$@") ;;
    mpi) [ -n "$mpi_coll_bench" ] && cmd=("${mpirun[@]}" -np "$n" "$mpi_coll_bench" "$op" "$@") ;;
    gloo) [ -n "$gloo_coll_bench" ] && cmd=("$gloo_coll_bench" "$op" -np "$n" "$@") ;;
  esac
  [ ${#cmd[@]} -gt 0 ] || { echo "not built" >"$out"; return; }
  timeout -k 10 300 "${cmd[@]}" >"$out" 2>&1
  local rc=$?
  [ $rc -eq 0 ] || echo "exit status $rc$([ $rc -eq 124 ] && echo ' (timed out)')" >>"$out"
}

echo "== measuring (load before: $(uptime | sed 's/.*load/load/'))"
for n in $ranks_list; do
  for tool in hccl mpi gloo; do
    echo "   $tool, $n ranks"
    run $tool all_reduce "$n" sweep -- -b 8 -e 64M -f 2 -n 20 -w 5
    run $tool all_reduce "$n" latency -- -b 8 -e 8 -f 2 -n 1000 -w 100
    # hccl_test issues -n operations back to back (they may overlap, as on a device); -z 1 waits
    # for each, which is what the baselines' blocking calls do anyway.
    [ $tool = hccl ] && run $tool all_reduce "$n" blocking -- -b 8 -e 8 -f 2 -n 1000 -w 100 -z 1
    run $tool all_gather "$n" allgather -- -b 16M -e 16M -f 2 -n 20 -w 5
    run $tool broadcast "$n" broadcast -- -b 16M -e 16M -f 2 -n 20 -w 5
  done
done
echo "   (load after: $(uptime | sed 's/.*load/load/'))"

# Table rows of one result file as "size time algbw busbw check". hccl_test and the baselines
# print "size | time | algbw | check | busbw"; rows start with a number.
rows() {
  awk -F'|' '{ for (i = 1; i <= NF; i++) gsub(/^ +| +$/, "", $i) }
    $1 ~ /^[0-9]+$/ && NF >= 5 { print $1, $2, $3, $5, $4 }' "$1" 2>/dev/null
}

# A short reason when a file has no rows.
why() {
  local f=$1
  if grep -q "not built" "$f" 2>/dev/null; then echo "not built"
  elif grep -q "timed out" "$f" 2>/dev/null; then echo "timed out"
  else grep -m1 -i -E "not.?support|error|fail|exit status" "$f" 2>/dev/null | cut -c1-60; fi
}

# side_by_side TAG NRANKS TITLE: one line per size of any tool.
side_by_side() {
  local tag=$1 n=$2
  echo
  echo "-- $3, $n ranks (time in us, busbw in GB/s; ratios: other's time / hccl-cpu's, which is"
  echo "   hccl-cpu's busbw / other's; above 1 means hccl-cpu is faster)"
  for tool in hccl mpi gloo; do
    [ -n "$(rows "$results/$tool-$tag-$n.txt")" ] ||
      echo "   $tool: no result: $(why "$results/$tool-$tag-$n.txt")"
  done
  for tool in hccl mpi gloo; do rows "$results/$tool-$tag-$n.txt" >"$results/$tool-$tag-$n.rows"; done
  awk -v H="$results/hccl-$tag-$n.rows" -v M="$results/mpi-$tag-$n.rows" \
      -v G="$results/gloo-$tag-$n.rows" '
    function load(file, key,   line, f, nf) {
      while ((getline line < file) > 0) {
        nf = split(line, f, " ")
        if (nf >= 5) {
          sizes[f[1]] = 1; t[key, f[1]] = f[2]; bw[key, f[1]] = f[4]
          if (f[nf] != "success") bad[key, f[1]] = 1
        }
      }
      close(file)
    }
    function cell(key, s, what) {
      if (!((key, s) in t)) return "-"
      return (what == "t" ? t[key, s] : bw[key, s]) (((key, s) in bad) ? "!" : "")
    }
    function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
    BEGIN {
      load(H, "h"); load(M, "m"); load(G, "g")
      printf "%12s %10s %10s %10s %9s %9s %9s %8s %8s\n", "size(B)", "hccl us", "mpi us",
             "gloo us", "hccl bw", "mpi bw", "gloo bw", "h/mpi", "h/gloo"
      n = 0; for (s in sizes) list[++n] = s + 0
      for (i = 2; i <= n; i++) { v = list[i]; for (j = i - 1; j >= 1 && list[j] > v; j--) list[j + 1] = list[j]; list[j + 1] = v }
      for (i = 1; i <= n; i++) {
        s = list[i]
        printf "%12s %10s %10s %10s %9s %9s %9s %8s %8s\n", s, cell("h", s, "t"), cell("m", s, "t"),
               cell("g", s, "t"), cell("h", s, "b"), cell("m", s, "b"), cell("g", s, "b"),
               ratio(t["m", s], t["h", s]), ratio(t["g", s], t["h", s])
      }
    }'
}

echo
echo "== results (! after a number: that row failed its check)"
for n in $ranks_list; do
  side_by_side sweep "$n" "all_reduce float32 sum, size sweep"
done

# pick TOOL TAG N FIELD(2 time, 4 busbw): the value of the first row.
pick() { rows "$results/$1-$2-$3.txt" | awk -v f="$4" 'NR == 1 { print $(f) }'; }

echo
echo "-- summary (ratios: latency = Open MPI or Gloo time / hccl-cpu time, bandwidth ="
echo "   hccl-cpu / other; above 1 means hccl-cpu is faster; '-' = not measured)"
printf "%-34s %5s %10s %10s %10s %8s %8s\n" metric ranks hccl-cpu "Open MPI" Gloo h/mpi h/gloo
for n in $ranks_list; do
  for spec in "latency 2 all_reduce 8 B time (us)" "blocking 2 all_reduce 8 B, each waited (us)" \
              "sweep@16777216 4 all_reduce 16 MiB busbw (GB/s)" \
              "allgather 4 all_gather 16 MiB busbw (GB/s)" "broadcast 4 broadcast 16 MiB busbw (GB/s)"; do
    read -r tag field label <<<"$spec"
    values=()
    for tool in hccl mpi gloo; do
      if [[ $tag == sweep@* ]]; then
        v=$(rows "$results/$tool-sweep-$n.txt" | awk -v s="${tag#sweep@}" '$1 == s { print $4 }')
      elif [[ $tag == blocking && $tool != hccl ]]; then
        v=$(pick "$tool" latency "$n" "$field")  # their calls are blocking
      else
        v=$(pick "$tool" "$tag" "$n" "$field")
      fi
      values+=("${v:--}")
    done
    ratios=()
    for other in 1 2; do
      ratios+=("$(awk -v h="${values[0]}" -v o="${values[$other]}" -v f="$field" 'BEGIN {
        if (h == "-" || o == "-" || h + 0 == 0 || o + 0 == 0) { print "-"; exit }
        printf "%.2f", (f == 2 ? o / h : h / o) }')")
    done
    printf "%-34s %5s %10s %10s %10s %8s %8s\n" "$label" "$n" "${values[@]}" "${ratios[@]}"
  done
done

echo
echo "== communicator creation, 8 ranks (3 runs each; slowest rank's times)"
for _ in 1 2 3; do
  if [ -n "$mpi_comm_create" ]; then
    timeout -k 10 120 "${mpirun[@]}" -np 8 "$mpi_comm_create" 2>&1 | grep -E "ranks|rror" ||
      echo "Open MPI: run failed or timed out"
  fi
done
for buffsize in "" 1; do
  for _ in 1 2 3; do
    if [ -n "$hccl_comm_create" ]; then
      if [ -n "$buffsize" ]; then
        HCCL_BUFFSIZE=$buffsize timeout -k 10 120 "$hccl_comm_create" -np 8 2>&1 | tail -n 3
      else
        (unset HCCL_BUFFSIZE; timeout -k 10 120 "$hccl_comm_create" -np 8 2>&1 | tail -n 3)
      fi
    else
      echo "hccl-cpu: hccl_comm_create not built"
    fi
  done
done
for _ in 1 2 3; do
  [ -n "$gloo_coll_bench" ] &&
    { timeout -k 10 120 "$gloo_coll_bench" create -np 8 2>&1 | tail -n 2 || echo "Gloo: failed"; }
done
echo
echo "load at the end: $(uptime | sed 's/.*load/load/')"
