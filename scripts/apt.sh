# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Private apt configurations under $RINGFENCE_CACHE/apt, for the scripts
# that fetch from Debian's archive (fetch-kernels, fetch-qemu). The
# machine's own /etc/apt is never read or changed. Source it after
# common.sh; set RF_APT_OFFLINE=1 (never touch the network) or
# RF_APT_REFRESH=1 (update lists even if recent) before rf_apt_prepare.
#
# Environment: RINGFENCE_MIRROR (default http://deb.debian.org);
# RINGFENCE_APT_MAX_AGE_HOURS: lists younger than this are not refreshed
# (default 6).

RF_APT_OFFLINE=${RF_APT_OFFLINE:-0}
RF_APT_REFRESH=${RF_APT_REFRESH:-0}
rf_apt_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
rf_apt_mirror=${RINGFENCE_MIRROR:-http://deb.debian.org}
rf_apt_max_age_min=$((${RINGFENCE_APT_MAX_AGE_HOURS:-6} * 60))
rf_apt_root=$RF_CACHE/apt
RF_DEBS=$RF_CACHE/debs
mkdir -p "$rf_apt_root" "$RF_DEBS"

# One fetcher at a time: they share lists and the .deb cache.
rf_apt_lock() {
	exec 9>"$RF_CACHE/fetch.lock"
	flock 9
}

# Separate configurations: headers are *installed* from bookworm, and a sid
# or backports source in the same configuration could make apt pull their
# libraries into a Debian 12 system to satisfy a dependency. The others are
# only ever downloaded from. CONF-arm64 (bookworm-arm64, trixie-arm64,
# sid-arm64) is CONF's sources for Debian's arm64 packages, in a
# configuration of its own: APT::Architecture=arm64 and an empty dpkg status,
# so nothing asks for `dpkg --add-architecture`; its packages are only
# downloaded and unpacked (dpkg-deb -x), never installed.
declare -A rf_apt_suites=(
	[bookworm]="debian bookworm main
debian bookworm-updates main
debian-security bookworm-security main"
	[bookworm-backports]="debian bookworm-backports main"
	[trixie]="debian trixie main
debian trixie-updates main
debian-security trixie-security main
debian trixie-backports main"
	[sid]="debian sid main"
)

# pkgcache is named explicitly because Docker images blank it in apt.conf.d,
# which makes every apt-cache call re-parse sid's lists. List cleanup is off
# so lists survive an update from a mirror that is down or was changed.
rf_apt_opts() {
	local d=$rf_apt_root/$1
	[[ $1 != *-arm64 ]] ||
		printf '%s\n' -o APT::Architecture=arm64 -o APT::Architectures=arm64 \
			-o Dir::State::status=/dev/null
	printf '%s\n' \
		-o "Dir::Etc::sourcelist=$d/sources.list" -o "Dir::Etc::sourceparts=$d/empty" \
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" \
		-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin \
		-o APT::Get::List-Cleanup=false \
		-o Dir::Etc::preferences=/dev/null -o "Dir::Etc::preferencesparts=$d/empty" \
		-o APT::Sandbox::User=root -o Acquire::Retries=1 \
		-o Acquire::http::Timeout=20 -o DPkg::Lock::Timeout=600 -q
}

# rf_apt_prepare CONF: writes CONF's sources and updates its lists when they
# are old; rf_apt_list_ok[CONF] is set when usable lists exist.
declare -A rf_apt_list_ok
rf_apt_prepare() {
	local conf=$1 d=$rf_apt_root/$1 opts fresh arch
	mapfile -t opts < <(rf_apt_opts "$conf")
	# An empty directory rather than "-": apt 2.6 reads "-" as /etc/apt/-.
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/empty"
	arch=
	[[ $conf != *-arm64 ]] || arch="arch=arm64 "
	while read -r path suite comps; do
		echo "deb [${arch}signed-by=$rf_apt_keyring] $rf_apt_mirror/$path $suite $comps"
	done <<<"${rf_apt_suites[${conf%-arm64}]}" >"$d/sources.list"
	fresh=$(find "$d/lists" -maxdepth 1 -name '*InRelease' -mmin -"$rf_apt_max_age_min" | head -n1)
	if ((RF_APT_OFFLINE)); then
		:
	elif ((RF_APT_REFRESH)) || [[ -z $fresh ]]; then
		rf_log "updating package lists for $conf"
		apt-get "${opts[@]}" update >"$d/update.log" 2>&1 ||
			rf_log "apt-get update for $conf failed (see $d/update.log); using cached lists"
		# apt leaves partial lists behind on errors; a failed fetch must not look
		# like a fresh one next time.
		if grep -q '^[EW]:' "$d/update.log"; then
			touch -d '2000-01-01' "$d/lists/"*InRelease 2>/dev/null || true
		fi
	fi
	if compgen -G "$d/lists/*_Packages*" >/dev/null; then
		rf_apt_list_ok[$conf]=1
	fi
}

# The version of PKG apt would pick in CONF (empty if none).
rf_apt_candidate() {
	local conf=$1 pkg=$2 opts
	mapfile -t opts < <(rf_apt_opts "$conf")
	apt-cache "${opts[@]}" show --no-all-versions "$pkg" 2>/dev/null |
		awk '/^Version:/ { print $2; exit }'
}

# The Debian architecture CONF's packages are for (the machine's, or arm64).
rf_apt_arch() {
	if [[ $1 == *-arm64 ]]; then
		echo arm64
	else
		dpkg --print-architecture
	fi
}

# The cached .deb of PKG VERSION for ARCH (or "all"), if any. The cache holds
# both architectures' (busybox-static_..._amd64.deb and _arm64.deb).
rf_apt_cached_deb() {
	local arch=$1 pkg=$2 ver=${3//:/%3a}
	{ compgen -G "$RF_DEBS/${pkg}_${ver}_$arch.deb" ||
		compgen -G "$RF_DEBS/${pkg}_${ver}_all.deb" || true; } | head -n1
}

# rf_apt_fetch_deb CONF PKG VERSION: prints the path of the cached .deb,
# downloading it when missing.
rf_apt_fetch_deb() {
	local conf=$1 pkg=$2 ver=$3 deb opts arch
	arch=$(rf_apt_arch "$conf")
	deb=$(rf_apt_cached_deb "$arch" "$pkg" "$ver")
	if [[ ! -s $deb ]]; then
		((!RF_APT_OFFLINE)) || return 1
		mapfile -t opts < <(rf_apt_opts "$conf")
		(cd "$RF_DEBS" && apt-get "${opts[@]}" download "$pkg=$ver") >&2 || return 1
		deb=$(rf_apt_cached_deb "$arch" "$pkg" "$ver")
	fi
	[[ -s $deb ]] || return 1
	printf '%s\n' "$deb"
}
