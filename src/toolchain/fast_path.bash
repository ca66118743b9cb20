# kcross `toolchain path <compiler> <arch>` fast path, run by the kcross
# launcher before it starts Deno (Deno alone takes ~70-140 ms to start).
# It answers only from the index that src/toolchain/path_index.ts writes
# (exact x.y.z versions that resolved exactly, with no extra options) and only
# if the indexed compiler is still executable; otherwise it exits 1, silent,
# and the launcher runs the full command, which also refreshes the index. An answer
# stamps the install's marker as a full resolve does (`cache gc` ranks by its
# mtime), so a toolchain used only this way does not age out.
# Usage (launcher): bash …/fast_path.bash COMPILER ARCH && exit 0
kcross_fast_path() {
	local compiler=$1 arch=$2 dir index key line answer check marker
	[[ $compiler =~ ^(gcc|clang|llvm)-[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
	dir=${KCROSS_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/kcross}
	index="$dir/path-index.tsv"
	[[ -r $index ]] || return 1
	key="$compiler"$'\t'"$arch"$'\t'"${COMPILER_INSTALL_PATH:--}"$'\t'
	while IFS= read -r line; do
		[[ $line == "$key"* ]] || continue
		IFS=$'\t' read -r _ _ _ answer check marker <<<"$line"
		[[ -x $check && -f $check ]] || return 1
		if [[ -n $marker && $marker != - && -f $marker ]]; then
			touch -c -- "$marker" 2>/dev/null || true
		fi
		printf '%s\n' "$answer"
		return 0
	done <"$index"
	return 1
}
kcross_fast_path "$@"
