#!/bin/sh
# Renders Asterisk's ari.conf from the tracked template (dialplan/ari.conf, password placeholder)
# with DOZVON_ARI_PASSWORD, then runs the image's own command. The password lives only in the
# environment (docker/.env), so no tracked file is ever edited.
set -eu
template="${ARI_TEMPLATE:-/etc/dozvon/ari.conf.template}"
target="${ARI_CONF:-/etc/asterisk/ari.conf}"
if [ -z "${DOZVON_ARI_PASSWORD:-}" ]; then
  echo "render-ari: DOZVON_ARI_PASSWORD is empty: set it in docker/.env (the same value dozvon uses)" >&2
  exit 78
fi
umask 027
# ENVIRON, not -v: awk would interpret backslashes in the password.
awk '/^[ \t]*password[ \t]*=/ { print "password = " ENVIRON["DOZVON_ARI_PASSWORD"]; next } { print }' "$template" > "$target.tmp"
mv "$target.tmp" "$target"
if id asterisk >/dev/null 2>&1; then chown asterisk:asterisk "$target" 2>/dev/null || chmod 644 "$target"; else chmod 644 "$target"; fi
exec "$@"
