#!/usr/bin/env bash
# A real Kubernetes API server for vigie's freshness tests: kube-apiserver 1.20
# built from Debian's kubernetes source package (all Go dependencies vendored
# there) plus Debian's etcd, listening on 127.0.0.1 only.
#
#   scripts/k8s-apiserver.sh ensure       build kube-apiserver once into the cache (15–20 min the first time)
#   scripts/k8s-apiserver.sh start DIR    run etcd + kube-apiserver, state in DIR; writes DIR/kubeconfig
#   scripts/k8s-apiserver.sh stop DIR     stop what `start DIR` started, by PID
#
# Cache: $VIGIE_K8S_CACHE (default ~/.cache/vigie-k8s). Ports: $K8S_API_PORT (16443), $ETCD_PORT (12379);
# when not set and taken, the next free ones. Two users: vigie-admin (context vigie-test) and
# vigie-reader (context vigie-reader, no rights until a role is bound to it).
# No controllers run: a Deployment's status stays as written. The bearer token is test-only.
set -euo pipefail
cache=${VIGIE_K8S_CACHE:-$HOME/.cache/vigie-k8s}
# a port that answers is taken (another run, another checkout): the next free ones are used,
# unless the ports were chosen explicitly
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p=$1
  while port_busy "$p" || port_busy $((p + 1)); do p=$((p + 2)); done
  echo "$p"
}
api_port=${K8S_API_PORT:-16443}
etcd_port=${ETCD_PORT:-12379}
if [ "${1:-}" = start ]; then
  [ -n "${K8S_API_PORT:-}" ] || api_port=$(free_port "$api_port")
  [ -n "${ETCD_PORT:-}" ] || etcd_port=$(free_port "$etcd_port")
fi
peer_port=$((etcd_port + 1))
apiserver=$cache/kube-apiserver
token=vigie-test-token
# a second user with no rights until a test binds a role to it (the read-only role of the guide)
reader_token=vigie-reader-token

apt_install() {
  local want=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || want+=("$p"); done
  ((${#want[@]})) || return 0
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}

ensure() {
  apt_install etcd-server openssl curl ca-certificates
  [ -x "$apiserver" ] && return 0
  apt_install golang-go rsync golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev
  local work=$cache/build
  rm -rf "$work"; mkdir -p "$work/apt/lists/partial" "$work/apt/sources"
  # a deb-src entry next to the machine's own sources, in a private apt state folder
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$work/apt/sources/src.sources"
  local opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/apt/sources" -o "Dir::State::Lists=$work/apt/lists")
  apt-get "${opts[@]}" update -qq >/dev/null
  (cd "$work" && apt-get "${opts[@]}" source --download-only kubernetes >/dev/null)
  mkdir -p "$work/src"
  tar -xzf "$work"/kubernetes_*.orig.tar.gz -C "$work/src"
  local tree; tree=$(ls -d "$work"/src/kubernetes-*)
  # reflect2 1.0.1 as vendored crashes with Go >= 1.18: swap in Debian's newer copies
  rm -rf "$tree/vendor/github.com/modern-go/reflect2" "$tree/vendor/github.com/json-iterator/go"
  cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 "$tree/vendor/github.com/modern-go/"
  cp -rL /usr/share/gocode/src/github.com/json-iterator/go "$tree/vendor/github.com/json-iterator/"
  mkdir -p "$work/gopath/src/k8s.io"
  ln -sfn "$tree" "$work/gopath/src/k8s.io/kubernetes"
  local env=(GOPATH="$work/gopath" GO111MODULE=off GOPROXY=off GOCACHE="$work/gocache")
  (cd "$tree" && env "${env[@]}" make gen_openapi >/dev/null 2>&1) || true
  local version; version=$(basename "$tree" | sed 's/^kubernetes-//')
  local cb=k8s.io/kubernetes/vendor/k8s.io/component-base/version cg=k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version
  local flags="-s -w -X $cb.gitVersion=v$version -X $cb.gitMajor=1 -X $cb.gitMinor=20 -X $cg.gitVersion=v$version -X $cg.gitMajor=1 -X $cg.gitMinor=20"
  (cd "$work/gopath/src/k8s.io/kubernetes" && env "${env[@]}" CGO_ENABLED=0 go build -ldflags "$flags" -o "$apiserver.partial" k8s.io/kubernetes/cmd/kube-apiserver)
  mv "$apiserver.partial" "$apiserver"
  rm -rf "$work"
}

start() {
  local dir=${1:?usage: start DIR}
  [ -x "$apiserver" ] || { echo "kube-apiserver missing: run '$0 ensure' first" >&2; exit 2; }
  mkdir -p "$dir/pki" "$dir/etcd"
  dir=$(cd "$dir" && pwd)
  if [ ! -f "$dir/pki/sa.key" ]; then
    openssl genrsa -out "$dir/pki/sa.key" 2048 2>/dev/null
    openssl rsa -in "$dir/pki/sa.key" -pubout -out "$dir/pki/sa.pub" 2>/dev/null
  fi
  printf '%s\n' "$token,vigie-admin,vigie-admin,system:masters" "$reader_token,vigie-reader,vigie-reader" >"$dir/pki/tokens.csv"
  etcd --name vigie --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "vigie=http://127.0.0.1:$peer_port" --log-level warn >"$dir/etcd.log" 2>&1 &
  echo $! >"$dir/etcd.pid"
  "$apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --secure-port="$api_port" --cert-dir="$dir/pki" --token-auth-file="$dir/pki/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$dir/pki/sa.pub" \
    --service-account-signing-key-file="$dir/pki/sa.key" --service-cluster-ip-range=10.96.0.0/24 \
    --disable-admission-plugins=ServiceAccount --endpoint-reconciler-type=none --v=0 >"$dir/apiserver.log" 2>&1 &
  echo $! >"$dir/apiserver.pid"
  local ready=""
  for _ in $(seq 1 900); do
    if curl -sfk -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.1
  done
  if [ -z "$ready" ]; then echo "kube-apiserver did not become ready; see $dir/apiserver.log" >&2; stop "$dir"; exit 1; fi
  cat >"$dir/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: vigie-test
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $dir/pki/apiserver.crt
users:
- name: vigie-admin
  user:
    token: $token
- name: vigie-reader
  user:
    token: $reader_token
contexts:
- name: vigie-test
  context:
    cluster: vigie-test
    user: vigie-admin
- name: vigie-reader
  context:
    cluster: vigie-test
    user: vigie-reader
current-context: vigie-test
KUBECONFIG
  echo "$dir/kubeconfig"
}

stop() {
  local dir=${1:?usage: stop DIR}
  for name in apiserver etcd; do
    if [ -f "$dir/$name.pid" ]; then
      kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

case "${1:-}" in
  ensure) ensure ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
