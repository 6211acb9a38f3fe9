#!/usr/bin/env bash
# The service unit as a board installs it: `systemd-analyze verify` on a
# staged install (verify needs the unit's binary to exist) and the offline
# security exposure, which must stay at 2.5 or lower.
#
#   check_unit.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build="$1" source="$2" work="$3"
readonly max_exposure=2.5

rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/usr" >/dev/null
unit="$work/usr/lib/systemd/system/roadspeedd.service"
[[ -f "$unit" ]] || { echo "not installed: $unit" >&2; exit 1; }
[[ -f "$work/usr/lib/sysusers.d/roadspeed.conf" ]] || { echo "sysusers.d entry not installed" >&2; exit 1; }
[[ -f "$work/usr/lib/udev/rules.d/60-roadspeed-gpio.rules" ]] || { echo "udev rule not installed" >&2; exit 1; }

# Verify against the host's units (sysinit.target and friends), with the
# binary's path pointing into the staged install.
staged="$work/roadspeedd.service"
sed "s#/usr/bin/roadspeedd#$work/usr/bin/roadspeedd#" "$unit" >"$staged"
systemd-analyze verify "$staged"

mkdir -p "$work/root/etc/systemd/system"
cp "$unit" "$work/root/etc/systemd/system/"
report="$(systemd-analyze security --offline=true --root="$work/root" roadspeedd.service 2>&1 | tail -1)"
exposure="$(sed -n 's/.*Overall exposure level for roadspeedd.service: \([0-9.]*\).*/\1/p' <<<"$report")"
[[ -n "$exposure" ]] || { echo "no exposure level in: $report" >&2; exit 1; }
echo "roadspeedd.service exposure level: $exposure (at most $max_exposure)"
awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }' ||
  { echo "exposure $exposure is above $max_exposure" >&2; exit 1; }
