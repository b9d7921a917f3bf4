#!/usr/bin/env bash
# bench/peers/run.sh: gwcert's encrypted attack against the load tools a
# user might pick instead, each sealing every request (header_secrets and
# RequestData, AES-256-CBC under fresh IVs) in its own scripting language:
#
#   k6 v1.8.1        bench/peers/k6/seal.js           (global WebCrypto)
#   autocannon 9     bench/peers/autocannon/run.js    (setupRequest, node:crypto)
#   Artillery 2      bench/peers/artillery/seal.yml   (processor.js, node:crypto)
#
# All send the same payload to the echo route at the same concurrency,
# against one `gwcert mock` whose credentials come from its --env-file
# (if gwcert does not build, the bench's helper server, bench/load/server,
# stands in and says so). For each tool it prints answers, requests per
# second and attacker CPU per request: the user+system CPU of the tool's
# whole process tree (bash's `time`), start-up included, divided by the
# answers the tool counted. gwcert's attack runs first and last, and the
# ratios use the mean of those two runs.
#
# The peers judge answers by status only, while gwcert load also opens
# every answer, checks it and writes its results file and report: the
# comparison leans in the peers' favour.
#
# Usage, from anywhere in the checkout:
#
#   bench/peers/run.sh
#
# Environment: CONNECTIONS (default 10), DURATION_S (seconds per run,
# default 10), PEERS (default "k6 autocannon artillery").
#
# It installs what is missing: k6 with `go install go.k6.io/k6@v1.8.1`
# (several minutes the first time: it compiles k6), autocannon and
# Artillery with npm into bench/peers/node_modules (ignored by git;
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1, so no browser is fetched). A tool
# that cannot be had is reported as skipped with the reason; the script
# exits non-zero only if gwcert itself cannot be built or started.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
conns=${CONNECTIONS:-10}
secs=${DURATION_S:-10}
peers=${PEERS:-k6 autocannon artillery}
work=$(mktemp -d "${TMPDIR:-/tmp}/gwcert-peers.XXXXXX")
rows=$work/rows.tsv # tool, version, answers, 2xx, cpu seconds, note
mock_pid=
gwcert=       # the gwcert binary, if it builds
load_bin=     # a gwcert binary with the load command, if one builds
load_missing= # why there is none
mock_desc=    # what serves as the mock
payload='{"amount":"10.00","currency":"INR"}' # what every tool seals

say() { echo "peers: $*" >&2; }

cleanup() {
	if [[ -n $mock_pid ]]; then
		kill "$mock_pid" 2>/dev/null
		wait "$mock_pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# timed NAME CMD...: runs CMD with stdout and stderr in $work/NAME.out and
# .err, and writes "user system wall" seconds to $work/NAME.time.
timed() {
	local name=$1 TIMEFORMAT='%3U %3S %3R'
	shift
	{ time "$@" >"$work/$name.out" 2>"$work/$name.err"; } 2>"$work/$name.time"
}

# cpu_of NAME: user plus system seconds of a timed run.
cpu_of() { awk '{ printf "%.3f", $1 + $2 }' "$work/$1.time"; }

# json_num FILE KEY: a top-level number of a flat JSON object.
json_num() { sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p" "$1"; }

# row TOOL VERSION ANSWERS OK CPU NOTE
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }

skip() { row "$1" "${2:--}" - - - "skipped: $3"; say "$1 skipped: $3"; }

# last_err NAME: the last line of a run's stderr, for a failure note.
last_err() { tail -n 1 "$work/$1.err" 2>/dev/null | cut -c1-100; }

# build: gwcert (with -tags gwcert_load if its load command needs it),
# and the bench's helper server and sealing attacker, the fallbacks for a
# gwcert that does not build or has no load command.
build() {
	say "building gwcert and the bench's helpers"
	if ! (cd "$root" && go build -o "$work/" ./bench/load/server ./bench/load/sealed); then
		say "cannot build bench/load/server and bench/load/sealed"
		exit 1
	fi
	if ! (cd "$root" && go build -o "$work/gwcert" ./cmd/gwcert 2>"$work/build.err"); then
		say "gwcert does not build ($(head -n 2 "$work/build.err" | tail -n 1));" \
			"using the bench's helper server as the mock"
		return
	fi
	gwcert=$work/gwcert
	if "$gwcert" load --help >/dev/null 2>&1; then
		load_bin=$gwcert
	elif (cd "$root" && go build -tags gwcert_load -o "$work/gwcert-load" ./cmd/gwcert \
		2>"$work/build-load.err") && "$work/gwcert-load" load --help >/dev/null 2>&1; then
		load_bin=$work/gwcert-load
		say "gwcert load built with -tags gwcert_load"
	else
		load_missing="gwcert has no load command, and -tags gwcert_load does not build:"
		load_missing+=" $(grep -m1 -v '^#' "$work/build-load.err" | cut -c1-90)"
		say "$load_missing"
	fi
}

# start_mock: `gwcert mock`, whose --env-file gives the credentials; the
# bench's helper server, which prints the same lines, if gwcert does not
# build.
start_mock() {
	mock_desc="gwcert mock (--quiet)"
	if [[ -z $gwcert ]]; then
		mock_desc="bench/load/server -mode mock (gwcert does not build)"
	fi
	if [[ -n $gwcert ]]; then
		"$gwcert" mock --addr 127.0.0.1:0 --quiet --env-file "$work/mock.env" \
			>"$work/mock.out" 2>"$work/mock.err" &
	else
		"$work/server" -mode mock >"$work/mock.env" 2>"$work/mock.err" &
	fi
	mock_pid=$!
	for _ in $(seq 100); do
		grep -q GWCERT_KEY "$work/mock.env" 2>/dev/null && break
		sleep 0.1
	done
	if ! grep -q GWCERT_KEY "$work/mock.env" 2>/dev/null; then
		say "the mock did not start: $(last_err mock)"
		exit 1
	fi
	set -a
	# shellcheck disable=SC1091
	. <(grep '^export ' "$work/mock.env")
	set +a
	say "mock gateway at $GWCERT_BASE_URL"
}

# run_gwcert N: gwcert's encrypted attack, or the bench's stand-in when
# gwcert load cannot be had.
run_gwcert() {
	local name=gwcert$1 counts
	if [[ -n $load_bin ]]; then
		say "gwcert load, run $1 (${secs}s)"
		# The same route and payload as the peers send, as both clients in turn.
		printf '%s\n' "name: peers-echo" "routes:" "  - path: /api/echo" \
			"    payload: $payload" "    expect_field: amount" >"$work/echo.yaml"
		if ! timed "$name" "$load_bin" load --profile "$work/echo.yaml" \
			--target "$GWCERT_BASE_URL" --rate 0 \
			--duration "${secs}s" --workers "$conns" --quiet --report-dir "$work/$name"; then
			skip "gwcert load ($1)" - "failed: $(last_err "$name")"
			return
		fi
		# The summary line reads "requests N  rate R/s  throughput T/s  success P%".
		counts=$(sed -n 's/.*requests \([0-9]*\) .*success \([0-9.]*\)%.*/\1 \2/p' \
			"$work/$name.out" | awk '{ printf "%d %d", $1, $1 * $2 / 100 + 0.5 }')
		row "gwcert load ($1)" "$("$load_bin" version 2>/dev/null | head -n 1 | cut -c1-10)" \
			"${counts% *}" "${counts#* }" "$(cpu_of "$name")" \
			"every answer opened and judged; results and report written"
		return
	fi
	say "${load_missing:-gwcert load not available}; the bench's stand-in, run $1 (${secs}s)"
	if ! timed "$name" "$work/sealed" -url "$GWCERT_BASE_URL/api/echo" -workers "$conns" \
		-duration "${secs}s" -payload 45; then
		skip "stand-in ($1)" - "failed: $(last_err "$name")"
		return
	fi
	row "bench stand-in ($1)" - "$(json_num "$work/$name.out" requests)" \
		"$(json_num "$work/$name.out" judged)" "$(cpu_of "$name")" \
		"bench/load/sealed: gwcert load not available; seals, opens and judges every answer"
}

# k6_bin: a k6 v1.8.1 binary, installed with go install if missing.
k6_bin() {
	local gobin k6
	gobin=$(go env GOBIN)
	[[ -n $gobin ]] || gobin="$(go env GOPATH)/bin"
	for k6 in "$(command -v k6)" "$gobin/k6"; do
		if [[ -x $k6 ]] && "$k6" version 2>/dev/null | grep -q 'v1\.8\.1'; then
			echo "$k6"
			return
		fi
	done
	say "installing k6 with go install go.k6.io/k6@v1.8.1 (it compiles k6: minutes)"
	if ! (cd "$work" && timed k6-install go install go.k6.io/k6@v1.8.1); then
		say "go install go.k6.io/k6@v1.8.1 failed: $(last_err k6-install)"
		return 1
	fi
	say "k6 installed in $(awk '{ print $3 }' "$work/k6-install.time") s wall"
	echo "$gobin/k6"
}

run_k6() {
	local k6
	if ! k6=$(k6_bin); then
		skip k6 v1.8.1 "cannot be installed (go install go.k6.io/k6@v1.8.1 failed)"
		return
	fi
	say "k6 (${secs}s)"
	if ! VUS=$conns DURATION=${secs}s SUMMARY=$work/k6.json timed k6 "$k6" run --quiet \
		--no-usage-report "$here/k6/seal.js"; then
		skip k6 v1.8.1 "run failed: $(last_err k6)"
		return
	fi
	row k6 "$("$k6" version | head -n 1 | cut -d' ' -f2)" "$(json_num "$work/k6.json" answers)" \
		"$(json_num "$work/k6.json" ok)" "$(cpu_of k6)" "global crypto.subtle AES-CBC"
}

# npm_tools: install autocannon and Artillery into bench/peers/node_modules
# if either is missing; fails when npm is missing or the install fails.
npm_tools() {
	[[ -d $here/node_modules/autocannon && -d $here/node_modules/artillery ]] && return 0
	if ! command -v npm >/dev/null; then
		say "npm not found"
		return 1
	fi
	say "installing autocannon 9 and Artillery 2 with npm (minutes the first time)"
	if ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timed npm-install npm install \
		--no-package-lock --no-audit --no-fund); then
		say "npm install failed: $(last_err npm-install)"
		return 1
	fi
	say "npm install took $(awk '{ print $3 }' "$work/npm-install.time") s wall"
}

# node_version MODULE: the installed version of a module.
node_version() { node -p "require('$here/node_modules/$1/package.json').version" 2>/dev/null; }

run_autocannon() {
	if ! npm_tools || [[ ! -d $here/node_modules/autocannon ]]; then
		skip autocannon 9 "cannot be installed with npm"
		return
	fi
	say "autocannon (${secs}s)"
	if ! CONNECTIONS=$conns DURATION_S=$secs SUMMARY=$work/autocannon.json \
		timed autocannon node "$here/autocannon/run.js"; then
		skip autocannon "$(node_version autocannon)" "run failed: $(last_err autocannon)"
		return
	fi
	row autocannon "$(node_version autocannon)" "$(json_num "$work/autocannon.json" answers)" \
		"$(json_num "$work/autocannon.json" ok)" "$(cpu_of autocannon)" \
		"setupRequest, node:crypto"
}

run_artillery() {
	if ! npm_tools || [[ ! -d $here/node_modules/artillery ]]; then
		skip artillery 2 "cannot be installed with npm"
		return
	fi
	say "Artillery (${secs}s of load, plus its start-up)"
	if ! (cd "$here/artillery" && CONNECTIONS=$conns DURATION_S=$secs \
		ARTILLERY_DISABLE_TELEMETRY=true timed artillery node \
		"$here/node_modules/artillery/bin/run" run --target "$GWCERT_BASE_URL" \
		--output "$work/artillery.json" seal.yml); then
		skip artillery "$(node_version artillery)" "run failed: $(last_err artillery)"
		return
	fi
	local counts
	counts=$(node -e 'const c = require(process.argv[1]).aggregate.counters;
		console.log((c["http.responses"] || 0) + " " + (c["http.codes.200"] || 0))' \
		"$work/artillery.json")
	row artillery "$(node_version artillery)" "${counts% *}" "${counts#* }" \
		"$(cpu_of artillery)" "processor.js beforeRequest, node:crypto; start-up is heavy"
}

# print_table: one line per row, ratios against the mean of the gwcert
# rows' CPU per request.
print_table() {
	echo "machine: $(uname -sm), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 |
		sed 's/^ //'), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "method: $conns concurrent connections/VUs, ${secs}s per run, one $mock_desc" \
		"on 127.0.0.1; CPU = user+system of the tool's process tree" \
		"(start-up included) / answers; req/s = 2xx / ${secs}s"
	echo
	awk -F'\t' -v secs="$secs" '
	function aim(tool) {
		if (tool == "k6") return 10
		if (tool == "autocannon") return 1.5
		return 0
	}
	{ tool[NR] = $1; ver[NR] = $2; ans[NR] = $3; ok[NR] = $4; cpu[NR] = $5; note[NR] = $6
	  if ($3 ~ /^[0-9]+$/ && $3 > 0) per[NR] = 1e6 * $5 / $3
	  if (($1 ~ /^gwcert load/ || $1 ~ /^bench stand-in/) && (NR in per)) { ref += per[NR]; nref++ } }
	END {
		fmt = "%-22s %-10s %8s %8s %9s %7s %11s %12s %8s %-8s %s\n"
		printf fmt, "tool", "version", "answers", "2xx", "req/s", "CPU s", "CPU µs/req",
			"x gwcert", "aim", "result", "note"
		if (nref) ref /= nref
		for (i = 1; i <= NR; i++) {
			if (!(i in per)) {
				printf fmt, tool[i], ver[i], "-", "-", "-", "-", "-", "-", "-", "-", note[i]
				continue
			}
			x = "-"; a = "-"; res = "-"
			if (nref && tool[i] !~ /^gwcert load|^bench stand-in/) x = sprintf("%.2f", per[i] / ref)
			if (aim(tool[i]) && x != "-") {
				a = ">= " aim(tool[i]); res = (per[i] / ref >= aim(tool[i])) ? "met" : "NOT MET"
			}
			printf fmt, tool[i], ver[i], ans[i], ok[i], sprintf("%.0f", ok[i] / secs),
				sprintf("%.2f", cpu[i]), sprintf("%.1f", per[i]), x, a, res, note[i]
		}
		if (nref) printf "\nx gwcert = CPU µs/req of the tool / %.1f, the mean of the first and " \
			"last rows (gwcert load, or the stand-in where it is not available)\n", ref
	}' "$rows"
}

build
start_mock
run_gwcert 1
for p in $peers; do
	case $p in
	k6) run_k6 ;;
	autocannon) run_autocannon ;;
	artillery) run_artillery ;;
	*) skip "$p" - "unknown tool (want k6, autocannon or artillery)" ;;
	esac
done
run_gwcert 2
print_table
