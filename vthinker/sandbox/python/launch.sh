#!/bin/sh
# The namespaced launcher (python.ts starts it under `unshare --mount --net --pid`): builds a private root of
# read-only system folders, without /etc/passwd, /home, /root or the repository, and runs the preamble in it with an
# empty network namespace. A size-capped tmpfs is the working folder, so a program can fill at most that much; the
# images it leaves there are copied out once it has ended.
# usage: launch.sh DIR drop|keep WORK_MB PYTHON ARGS...   (DIR holds in/ and sandbox/; images land in DIR/out)
#   drop: we are real root, so the program runs as nobody (65534); keep: an unprivileged user's namespace, where
#   only our own uid is mapped, so the program keeps it (without capabilities either way).
set -eu
dir=$1 mode=$2 work_mb=$3
shift 3
root=$dir/root
mkdir -p "$root" "$dir/out"
mount -t tmpfs -o size=1m,mode=755 vt-root "$root"
cd "$root"
mkdir -p usr etc dev work tmp sandbox
mount -t tmpfs -o "size=${work_mb}m,mode=1777" vt-work work
mount -t tmpfs -o size=16m,mode=1777 vt-tmp tmp
ro() { mount --rbind "$1" "$2" && mount -o remount,bind,ro,nosuid,nodev "$2"; }
for d in bin lib lib32 lib64 sbin; do
  if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$d"; elif [ -d "/$d" ]; then mkdir "$d" && ro "/$d" "$d"; fi
done
ro /usr usr
for d in alternatives fonts; do if [ -d "/etc/$d" ]; then mkdir "etc/$d" && ro "/etc/$d" "etc/$d"; fi; done
for f in ld.so.cache matplotlibrc; do if [ -f "/etc/$f" ]; then touch "etc/$f" && ro "/etc/$f" "etc/$f"; fi; done
for f in null zero urandom random; do touch "dev/$f" && mount --bind "/dev/$f" "dev/$f"; done
cp "$dir"/sandbox/* sandbox/
cp "$dir"/in/* work/
chmod 0444 work/* sandbox/*
mount -o remount,bind,ro "$root"
cd /
# No capabilities, even as the namespace's root (it could otherwise leave the chroot); as nobody when we can.
ids=""
if [ "$mode" = drop ]; then ids="--reuid=65534 --regid=65534 --clear-groups"; fi
status=0
# shellcheck disable=SC2086
chroot "$root" /usr/bin/setpriv $ids --inh-caps=-all --bounding-set=-all --no-new-privs \
  /bin/sh -c 'cd /work && exec "$@"' sh "$@" || status=$?
# Regular files only (no links out of the folder), at most 16, with an image's extension.
cd "$root/work"
find . -maxdepth 3 -type f -size -17M | grep -iE '\.(png|jpe?g|gif|bmp|tiff?|webp)$' | head -n 16 | while IFS= read -r f; do
  mkdir -p "$dir/out/$(dirname "$f")" && cp "$f" "$dir/out/$f"
done
exit "$status"
