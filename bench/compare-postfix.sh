#!/usr/bin/env bash
# Frontdesk versus Postfix, same machine, same run, same load, durable on
# both sides. See bench/README.md.
#
#   bash bench/compare-postfix.sh                 # the default scenarios, 2 rounds (~15 min)
#   bash bench/compare-postfix.sh --quick         # fewer messages (~2-3 min)
#   bash bench/compare-postfix.sh --scenarios c20-4k,full-c20-4k,idle --rounds 3
#
# Options:
#   --quick               a fifth of the messages per run, idle sessions once
#   --scenarios LIST      comma-separated subset of: c1-4k c20-4k c200-4k
#                         c1-256k-att c20-256k-att c200-256k-att (a text part, a JPEG, a PDF)
#                         c1-1m-att c20-1m-att c200-1m-att (a text part and three JPEG/PDF)
#                         pg-c20-4k (full pipeline on PostgreSQL: one node, two nodes)
#                         idle (the default set), and c1-256k c20-256k c200-256k (the
#                         usual mix at 256 KB) full-c20-4k full-c20-256k (with relay + ack)
#                         Load scenarios run Postfix, the full pipeline and relay only.
#   --rounds N            rounds per server, alternating A B A B (default 2, at least 2 recommended)
#   --scale F             multiply every message count by F (e.g. 0.5)
#   --out DIR             results (JSON per run, summary.md); default bench/out/<time>
#   --frontdesk-bin PATH  use this frontdesk binary instead of building one
#   --cpuprofile PREFIX   CPU profiles of the Frontdesk instances over the whole
#                         run: PREFIX-relay.prof, PREFIX-ack.prof, PREFIX-full.prof (needs
#                         `serve -cpuprofile`; see bench/README.md)
#   --keep                keep the scratch directory (stores, Postfix queue and logs)
#   --warmup N            4 KB messages per server before the first scenario (default 200;
#                         0: none, so that --cpuprofile profiles one scenario alone)
#   --no-postgres         leave out pg-c20-4k (and the private PostgreSQL it starts)
#
# Runs as root (a private Postfix needs it). Everything listens on
# 127.0.0.1 only; the system Postfix instance is never touched. Only the
# processes this script starts are stopped, on exit (a private PostgreSQL
# cluster too, for pg-c20-4k: initdb in the scratch directory, port on
# 127.0.0.1, synchronous_commit on).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$PATH:/usr/local/go/bin:/usr/local/sbin:/usr/sbin:/sbin"

QUICK=0 ROUNDS=2 SCALE=1 OUT="" FD_BIN="" CPUPROF="" KEEP=0 WARMUP=200
SCENARIOS="c1-4k,c20-4k,c200-4k,pg-c20-4k,c1-256k-att,c20-256k-att,c200-256k-att,c1-1m-att,c20-1m-att,c200-1m-att,idle"
NO_PG=0
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) QUICK=1 ;;
	--scenarios) SCENARIOS=$2; shift ;;
	--rounds) ROUNDS=$2; shift ;;
	--scale) SCALE=$2; shift ;;
	--out) OUT=$2; shift ;;
	--frontdesk-bin) FD_BIN=$2; shift ;;
	--cpuprofile) CPUPROF=$(realpath -m "$2"); shift ;;
	--keep) KEEP=1 ;;
	--warmup) WARMUP=$2; shift ;;
	--no-postgres) NO_PG=1 ;;
	-h|--help) sed -n '2,36p' "$0"; exit 0 ;;
	*) echo "compare-postfix.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ "$QUICK" = 1 ] && SCALE=$(awk -v s="$SCALE" 'BEGIN{print s/5}')
if [ "$NO_PG" = 1 ]; then
	SCENARIOS=$(tr ',' '\n' <<<"$SCENARIOS" | { grep -vx 'pg-c20-4k' || true; } | paste -sd, -)
fi
WANT_PG=0
case ",$SCENARIOS," in *,pg-c20-4k,*) WANT_PG=1 ;; esac
if [ "$(id -u)" -ne 0 ]; then
	echo "compare-postfix.sh: must run as root (a private Postfix instance needs it)" >&2
	exit 2
fi

log() { printf '\n=== %s  %s\n' "$(date +%T)" "$*" >&2; }

# ---- Postfix from Debian, with no system configuration ----
if ! command -v postfix >/dev/null || ! command -v postconf >/dev/null; then
	log "installing postfix (No configuration: the system instance gets no main.cf and never listens)"
	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	DEBIAN_FRONTEND=noninteractive apt-get install -y postfix </dev/null >&2
fi

# ---- PostgreSQL from Debian (pg-c20-4k): its server programs; the system cluster is not used ----
pg_bin() { # the newest Debian /usr/lib/postgresql/<version>/bin/<name>, else $PATH
	local b
	b=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1)
	if [ -n "$b" ]; then echo "$b"; else command -v "$1" || true; fi
}
if [ "$WANT_PG" = 1 ] && [ -z "$(pg_bin initdb)" ]; then
	log "installing postgresql (a private cluster is started in the scratch directory; the system cluster is not used)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql </dev/null >&2
fi

# ---- scratch, results, cleanup ----
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$ROOT/bench/out/$STAMP}
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
SCRATCH=$(mktemp -d /var/tmp/frontdesk-bench.XXXXXX) # on disk, never tmpfs: fsync must cost what it costs
chmod 755 "$SCRATCH"
PF_DIR=$SCRATCH/postfix PF_UP=0
PG_DIR=$SCRATCH/postgres PG_UP=0 PG_USER=postgres
FD_PIDS=()

cleanup() {
	set +e
	for pid in "${FD_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	if [ "$PF_UP" = 1 ]; then
		postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1
	fi
	if [ "$PG_UP" = 1 ]; then
		runuser -u "$PG_USER" -- "$(pg_bin pg_ctl)" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
	fi
	if [ "$KEEP" = 1 ]; then
		echo "scratch kept in $SCRATCH" >&2
	else
		rm -rf "$SCRATCH"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null || true

# free_port picks a port below the kernel's ephemeral range: a port there
# that nobody listens on can still be the local end of an outgoing
# connection (a test's client, a TIME_WAIT), and the bind then fails.
read -r EPHEMERAL_LO _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPHEMERAL_LO=32768
free_port() {
	local p
	while :; do
		p=$((10000 + RANDOM % (EPHEMERAL_LO - 10000)))
		if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}
SINK=127.0.0.1:$(free_port)
DNS=127.0.0.1:$(free_port) # the loadgen's stub resolver (UDP) for Frontdesk's SPF/DMARC lookups
PF_SMTP=127.0.0.1:$(free_port)
PG_PORT=$(free_port)

# ---- build ----
log "building loadgen${FD_BIN:+ (frontdesk: $FD_BIN)}"
LOADGEN=$SCRATCH/loadgen
go build -o "$LOADGEN" ./bench/loadgen
if [ -z "$FD_BIN" ]; then
	FD_BIN=$SCRATCH/frontdesk
	go build -o "$FD_BIN" ./cmd/frontdesk
fi

# ---- rules: relay only (no rules) and the full pipeline (demo + 200) ----
RULES_RELAY=$SCRATCH/rules-relay.yaml
RULES_FULL=$SCRATCH/rules-full.yaml
cat >"$RULES_RELAY" <<'EOF'
# relay only: one department for every address, no rules
departments:
  support:
    name: Support
    addresses: [support, help, sales, billing]
    mailbox: agents@agents.bench.example
default_department: support
EOF
# The full pipeline: the embedded demo rules (5 departments, calendar
# checks, CJK keyword lists, regexps) with 200 generated rules in front of
# them. The generated rules all continue, so every message is evaluated
# against all 200 and then the demo rules: the most a rules file costs.
gen_rules() {
	local i
	for ((i = 0; i < 200; i++)); do
		case $((i % 5)) in
		0) printf '  - name: key account %d\n    if: {from: {domain: customer%d.example}}\n    then: {tags: [account-%d], priority: high}\n    continue: true\n' "$i" "$i" "$i" ;;
		1) printf '  - name: product line %d\n    if: {subject: {contains: [model-X%d, SKU-%04d, 型号X%d]}}\n    then: {tags: [product-%d]}\n    continue: true\n' "$i" "$i" "$i" "$i" "$i" ;;
		2) printf '  - name: campaign %d\n    if: {body: {contains: [promo code SAVE%d, 优惠码SAVE%d, serial AB%05d]}}\n    then: {tags: [campaign-%d]}\n    continue: true\n' "$i" "$i" "$i" "$i" "$i" ;;
		3) printf "  - name: order reference %d\n    if: {all: [{to: {contains: billing}}, {body: {matches: '(?i)\\\\border[ -]?ref[: ]*%d[0-9]{4}\\\\b'}}]}\n    then: {tags: [order-ref-%d], priority: high}\n    continue: true\n" "$i" "$i" "$i" ;;
		4) printf '  - name: partner %d\n    if: {any: [{header: {name: X-Partner-Id, equals: "P%d"}}, {attachment: {name: {contains: contract-%d}}}]}\n    then: {tags: [partner-%d]}\n    continue: true\n' "$i" "$i" "$i" "$i" ;;
		esac
	done
}
{
	sed -n '1,/^rules:/p' rules/demo.yaml
	gen_rules
	sed -n '/^rules:/,$p' rules/demo.yaml | tail -n +2
} >"$RULES_FULL"
"$FD_BIN" rules check "$RULES_FULL" >&2
"$FD_BIN" rules check "$RULES_RELAY" >&2

# ---- Frontdesk: durable, relay to the sink ----
PROFILE_OK=0
if [ -n "$CPUPROF" ]; then
	if grep -q -- -cpuprofile <<<"$("$FD_BIN" serve -h 2>&1 || true)"; then
		PROFILE_OK=1
	else
		echo "compare-postfix.sh: this frontdesk has no serve -cpuprofile; --cpuprofile ignored" >&2
	fi
fi
# Newer builds check SPF/DKIM/DMARC on intake and send acknowledgements;
# config keys a build does not know are errors, so look for them in the
# binary (struct tags are kept). Relay only: both off. Full pipeline: both
# on, DNS answered at once by the loadgen's stub (loopback has no resolver;
# the system one would make every lookup wait for its timeout), and the
# acknowledgements go out through the same sink, as through a smarthost.
#
# A third instance, "ack", is relay only plus the acknowledgement: no
# rules, no sender checks, and an empty FAQ catalog (so no ranking and no
# links), but a ticket's acknowledgement built, queued and delivered
# through the sink. It prices the part of the full pipeline that is a
# second mail per new ticket, the floor under the full pipeline's cost.
FD_EXTRA_relay="" FD_EXTRA_full="" FD_EXTRA_ack=""
if grep -aq 'yaml:"dns_server"' "$FD_BIN"; then
	FD_EXTRA_relay+=$'auth: {check: false}\n'
	FD_EXTRA_ack+=$'auth: {check: false}\n'
	FD_EXTRA_full+="auth: {dns_server: \"$DNS\"}"$'\n'
fi
ACK_OK=0
# Every load comes from one address and the idle sessions idle on purpose:
# a binary with the per-address cap and the progress timeout gets both off.
SMTP_EXTRA=""
if grep -aq 'yaml:"max_connections_per_ip"' "$FD_BIN"; then
	SMTP_EXTRA="  max_connections_per_ip: 0
  progress_timeout: 0s"
fi
if grep -aq 'yaml:"per_sender_per_hour"' "$FD_BIN"; then
	ACK_OK=1
	FD_EXTRA_relay+=$'acks: {enabled: false}\n'
	FD_EXTRA_full+="outbound: {target: \"smtp://$SINK\"}"$'\n'
	: >"$SCRATCH/faq-empty.yaml"
	FD_EXTRA_ack+="outbound: {target: \"smtp://$SINK\"}"$'\n'"faq_file: $SCRATCH/faq-empty.yaml"$'\n'
fi
start_frontdesk() { # name rules -> sets FD_ADDR_<name>, FD_PID_<name>
	local name=$1 rules=$2 dir=$SCRATCH/frontdesk-$1 smtp http pid i extra store
	extra=FD_EXTRA_$1
	extra=${!extra}
	store=FD_STORE_$1
	store=${!store:-$'store:\n  sync_writes: true      # the default: fsync before 250'}
	smtp=127.0.0.1:$(free_port)
	http=127.0.0.1:$(free_port)
	mkdir -p "$dir"
	cat >"$dir/frontdesk.yaml" <<EOF
hostname: frontdesk-bench.localdomain
domains: [bench.example]
data_dir: $dir/data
log_level: warn
smtp:
  listen: $smtp
  max_connections: 1100   # room for the 1,000 idle sessions plus stragglers
$SMTP_EXTRA
http:
  listen: $http
relay:
  target: smtp://$SINK
  min_backoff: 1s        # the sink runs only while a load runs
  max_backoff: 5s
$store
rules_file: $rules
$extra
EOF
	local args=(serve -c "$dir/frontdesk.yaml")
	if [ "$PROFILE_OK" = 1 ]; then
		args+=(-cpuprofile "$CPUPROF-$name.prof")
	fi
	"$FD_BIN" "${args[@]}" >"$dir/stdout.log" 2>"$dir/stderr.log" &
	pid=$!
	FD_PIDS+=("$pid")
	for ((i = 0; i < 100; i++)); do
		if curl -sf -o /dev/null "http://$http/readyz"; then
			break
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "frontdesk ($name) exited:" >&2
			cat "$dir/stderr.log" >&2
			exit 1
		fi
		sleep 0.1
	done
	curl -sf -o /dev/null "http://$http/readyz" || { echo "frontdesk ($name) not ready" >&2; exit 1; }
	printf -v "FD_ADDR_$name" '%s' "$smtp"
	printf -v "FD_PID_$name" '%s' "$pid"
}

# ---- Postfix: a private instance (as internal/testenv's), durable, relay to the sink ----
start_postfix() {
	mkdir -p "$PF_DIR"/{etc,queue,data,log}
	chown postfix "$PF_DIR/data"
	cp /etc/postfix/master.cf /etc/postfix/postfix-files "$PF_DIR/etc/"
	cat >"$PF_DIR/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF_DIR/queue
data_directory = $PF_DIR/data
myhostname = postfix-bench.localdomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:local delivery is disabled
relay_domains = bench.example
relay_recipient_maps =
relayhost = [${SINK%:*}]:${SINK##*:}
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
# 1,100 rather than the tests' 250: one smtpd per session, and the
# idle scenario holds 1,000 sessions (processes are forked on demand).
default_process_limit = 1100
smtpd_tls_security_level = none
smtp_tls_security_level = none
biff = no
maillog_file = $PF_DIR/log/maillog
maillog_file_prefixes = $PF_DIR/log
EOF
	postconf -c "$PF_DIR/etc" -MX smtp/inet maildrop/unix uucp/unix ifmail/unix bsmtp/unix scalemail-backend/unix mailman/unix 2>/dev/null || true
	postconf -c "$PF_DIR/etc" -F '*/*/chroot = n'
	postconf -c "$PF_DIR/etc" -Me "$PF_SMTP/inet = $PF_SMTP inet n - n - - smtpd"
	postfix -c "$PF_DIR/etc" start >&2
	PF_UP=1
	local i
	for ((i = 0; i < 100; i++)); do
		if (exec 3<>"/dev/tcp/${PF_SMTP%:*}/${PF_SMTP##*:}") 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	PF_PID=$(head -1 "$PF_DIR/queue/pid/master.pid" | tr -d ' ')
}

# ---- PostgreSQL: a private cluster (as internal/testenv's), durable ----
# The full pipeline's config with store.backend postgres: one node on the
# database fd1, and two nodes (same config, own ports and data dirs) on fd2.
start_postgres() {
	local db cfg v
	id -u "$PG_USER" >/dev/null 2>&1 || PG_USER=nobody
	mkdir -p "$PG_DIR"
	chown "$PG_USER" "$PG_DIR"
	runuser -u "$PG_USER" -- "$(pg_bin initdb)" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 ||
		{ cat "$PG_DIR/initdb.log" >&2; exit 1; }
	cat >>"$PG_DIR/data/postgresql.conf" <<PGCONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
synchronous_commit = on   # a commit is on disk before the 250, as Frontdesk requires
fsync = on
max_connections = 200     # 3 nodes x (20 + 2) and the tools
shared_buffers = 128MB
# SERIALIZABLE's predicate locks: with the defaults (64 a transaction, 32 a
# relation) an intake commit's locks on kv are promoted to the whole table
# and concurrent commits abort each other (docs/ha.md, "Portable SQL").
max_pred_locks_per_transaction = 4096
max_pred_locks_per_relation = -32
PGCONF
	runuser -u "$PG_USER" -- "$(pg_bin pg_ctl)" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start >&2
	PG_UP=1
	for db in fd1 fd2; do
		psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE $db" >&2
		printf -v "FD_STORE_$db" 'store:\n  backend: postgres\n  dsn: "postgres://postgres@127.0.0.1:%s/%s?sslmode=disable"' "$PG_PORT" "$db"
		cfg=$SCRATCH/migrate-$db.yaml
		v=FD_STORE_$db
		printf '%s\n' "${!v}" >"$cfg"
		"$FD_BIN" store migrate -c "$cfg" >&2
	done
	FD_STORE_pg1=$FD_STORE_fd1 FD_STORE_pg2a=$FD_STORE_fd2 FD_STORE_pg2b=$FD_STORE_fd2
	FD_EXTRA_pg1=$FD_EXTRA_full FD_EXTRA_pg2a=$FD_EXTRA_full FD_EXTRA_pg2b=$FD_EXTRA_full
}

log "starting Postfix on $PF_SMTP and Frontdesk (relay only, full pipeline, relay + acknowledgement); sink $SINK"
start_postfix
start_frontdesk relay "$RULES_RELAY"
start_frontdesk full "$RULES_FULL"
FULL="postfix frontdesk-relay frontdesk-full"
if [ "$ACK_OK" = 1 ]; then
	start_frontdesk ack "$RULES_RELAY"
	FULL="postfix frontdesk-relay frontdesk-ack frontdesk-full"
fi
PG="postfix frontdesk-full frontdesk-pg frontdesk-pg2"
if [ "$WANT_PG" = 1 ]; then
	log "starting PostgreSQL on 127.0.0.1:$PG_PORT and Frontdesk on it (the full pipeline: one node; two nodes on one database)"
	start_postgres
	start_frontdesk pg1 "$RULES_FULL"
	start_frontdesk pg2a "$RULES_FULL"
	start_frontdesk pg2b "$RULES_FULL"
fi

# Every load runs Postfix against the full pipeline (what users run, issue
# 21) and relay only (for reference: full/relay is printed as information).
BOTH="postfix frontdesk-full frontdesk-relay"
IDLE="postfix frontdesk-relay"

# ---- one run ----
# run SCENARIO SERVER ROUND loadgen-args...
run() {
	local scen=$1 server=$2 round=$3 addr pid match
	shift 3
	case $server in
	postfix) addr=$PF_SMTP pid=$PF_PID match='*' ;;
	frontdesk-relay) addr=$FD_ADDR_relay pid=$FD_PID_relay match='' ;;
	frontdesk-full) addr=$FD_ADDR_full pid=$FD_PID_full match='' ;;
	frontdesk-ack) addr=$FD_ADDR_ack pid=$FD_PID_ack match='' ;;
	# On PostgreSQL the server CPU and memory are Frontdesk's alone (not
	# the database's); for two nodes none is sampled (two processes).
	frontdesk-pg) addr=$FD_ADDR_pg1 pid=$FD_PID_pg1 match='' ;;
	frontdesk-pg2) addr=$FD_ADDR_pg2a,$FD_ADDR_pg2b pid=0 match='' ;;
	esac
	if [ "$scen" = idle ] && [ "$server" = postfix ]; then
		match=smtpd # Postfix holds a session in one smtpd process each
	fi
	log "$scen  $server  round $round"
	"$LOADGEN" --label "$server" --server "$addr" --server-pid "$pid" --rss-match "$match" --dns "$DNS" --json "$@" \
		>"$OUT/${scen}__${server}__${round}.json" 2> >(grep -v '^ *$' | tail -n 3 >&2)
	sleep 1 # let exiting sessions and relay connections settle
}

n() { awk -v n="$1" -v s="$SCALE" 'BEGIN{v=int(n*s); if (v<20) v=20; print v}'; }

# scenario name, servers to alternate, loadgen arguments
scenario() {
	local scen=$1 servers=$2 r s rounds=$ROUNDS
	shift 2
	case ",$SCENARIOS," in *",$scen,"*) ;; *) return 0 ;; esac
	if [ "$scen" = idle ] && [ "$QUICK" = 1 ]; then
		rounds=1 # forking 1,000 smtpd processes takes Postfix most of a minute here
	fi
	for ((r = 1; r <= rounds; r++)); do
		for s in $servers; do
			run "$scen" "$s" "$r" "$@"
		done
	done
}

# Idle sessions first, on fresh servers: what 1,000 sessions cost, not
# what earlier loads left behind (Go's heap and Badger's mmapped files only
# grow with the data that went through; the peak RSS under load is reported
# per load scenario).
scenario idle "$IDLE" --idle 1000 --idle-hold 3s
if [ "$PF_UP" = 1 ] && [ -e "$OUT/idle__postfix__1.json" ]; then
	# The 1,000 smtpd processes linger for max_idle (100 s) and would be
	# counted in Postfix's memory under load: start it afresh.
	postfix -c "$PF_DIR/etc" stop >&2
	for ((i = 0; i < 100; i++)); do
		postfix -c "$PF_DIR/etc" status >/dev/null 2>&1 || break
		sleep 0.2
	done
	PF_UP=0
	start_postfix
fi

# warm-up: spawn Postfix's processes, open Badger's files, fault in code
if [ "$WARMUP" -gt 0 ]; then
	log "warm-up"
	warm=$FULL
	if [ "$WANT_PG" = 1 ]; then warm+=" frontdesk-pg frontdesk-pg2"; fi
	for s in $warm; do
		run warmup "$s" 0 -c 20 -n "$(n "$WARMUP")" -s 4k --sink "$SINK" -q >/dev/null
	done
	if [ "$PG_UP" = 1 ]; then
		# The statistics autovacuum gathers within its first minute
		# (autovacuum_naptime): without them each connection keeps the
		# plans it made on the empty tables of the warm-up, and a walk of
		# a few keys reads its whole range (a bitmap scan and a sort,
		# 2.4 ms for the deadline index instead of 0.02), which is not how
		# a database that has run for a minute answers.
		for db in fd1 fd2; do
			psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -c "ANALYZE" >&2
		done
	fi
fi
rm -f "$OUT"/warmup__*

# 4 KB first, then 256 KB: Frontdesk's RSS only grows with the data that
# went through (Badger's mapped files count the pages written to them),
# so each scenario's peak includes what the earlier ones left.
scenario c20-4k "$BOTH" -c 20 -n "$(n 2000)" -s 4k --sink "$SINK"
scenario c200-4k "$BOTH" -c 200 -n "$(n 3000)" -s 4k --sink "$SINK"
scenario full-c20-4k "$FULL" -c 20 -n "$(n 2000)" -s 4k --sink "$SINK"
# Issue 24: Postfix, the full pipeline on Badger, and the same on
# PostgreSQL (synchronous_commit on): one node, and two nodes sharing the
# load (sessions alternate between them) and the database.
scenario pg-c20-4k "$PG" -c 20 -n "$(n 2000)" -s 4k --sink "$SINK"
scenario c20-256k "$BOTH" -c 20 -n "$(n 500)" -s 256k --sink "$SINK"
scenario c200-256k "$BOTH" -c 200 -n "$(n 800)" -s 256k --sink "$SINK"
scenario full-c20-256k "$FULL" -c 20 -n "$(n 500)" -s 256k --sink "$SINK"
# Mail with photos and PDFs (issue 21): every message a short text part
# and 2 (256 KB) or 3 (1 MB) attachments.
scenario c20-256k-att "$BOTH" -c 20 -n "$(n 500)" -s 256k --attachments 2 --sink "$SINK"
scenario c200-256k-att "$BOTH" -c 200 -n "$(n 800)" -s 256k --attachments 2 --sink "$SINK"
scenario c20-1m-att "$BOTH" -c 20 -n "$(n 200)" -s 1m --attachments 3 --sink "$SINK"
scenario c200-1m-att "$BOTH" -c 200 -n "$(n 400)" -s 1m --attachments 3 --sink "$SINK"
# The C=1 scenarios come last and send enough mail for about 3 s of work
# each. Their figure that counts is CPU per message, and the kernel
# charges CPU time in 10 ms ticks to whichever process is running at a
# tick: 300 messages of 4 KB are 15 to 30 ticks, so a run's figure moved
# by a quarter from one run to the next (Postfix 0.50 and 0.97 ms per
# message in two runs of one day), more than the difference being
# measured. Run first, their 4,300 messages raised the RSS of
# c200-1m-att by some 50 MB of mapped store pages.
scenario c1-4k "$BOTH" -c 1 -n "$(n 3000)" -s 4k --sink "$SINK"
scenario c1-256k "$BOTH" -c 1 -n "$(n 1000)" -s 256k --sink "$SINK"
scenario c1-256k-att "$BOTH" -c 1 -n "$(n 1000)" -s 256k --attachments 2 --sink "$SINK"
scenario c1-1m-att "$BOTH" -c 1 -n "$(n 300)" -s 1m --attachments 3 --sink "$SINK"

{
	echo "# Frontdesk vs Postfix, $(date -u '+%F %T UTC'), $(nproc) cores, $(uname -r)"
	echo
	echo "Frontdesk: $("$FD_BIN" version 2>/dev/null || echo dev), $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || true); Postfix $(postconf -d -h mail_version 2>/dev/null)"
	echo "Ratios are Frontdesk/Postfix; for msgs/s higher is better, for ms and MB lower is better."
	"$LOADGEN" --report "$OUT"
} | tee "$OUT/summary.md"
if [ "$PROFILE_OK" = 1 ]; then
	for pid in "${FD_PIDS[@]}"; do
		kill -TERM "$pid" && wait "$pid" 2>/dev/null || true # stop writes the profile
	done
	FD_PIDS=()
	echo
	echo "CPU profiles: $CPUPROF-relay.prof${FD_ADDR_ack:+ $CPUPROF-ack.prof} $CPUPROF-full.prof (go tool pprof -top $FD_BIN $CPUPROF-relay.prof)"
fi
echo
echo "results: $OUT"
