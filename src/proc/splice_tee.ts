/**
 * The tee stage of `spawnTeePipeline`: stdin → stdout and fd 3, like
 * `tee -p /dev/fd/3`, but without copying and in large batches. GNU tee
 * (and the decompressor feeding it) moves 8 kB per read and write: one
 * wakeup of every stage per 8 kB of a 663 MB tar costs more CPU than gpgv's
 * hashing. This stage, a short Perl program (perl is part of every Debian
 * and Ubuntu base system), instead
 *
 * - grows its three pipes to 1 MiB (`F_SETPIPE_SZ`, within the unprivileged
 *   `/proc/sys/fs/pipe-max-size`; nothing system-wide is changed);
 * - duplicates what is in the input pipe into fd 3 with `tee(2)` and moves it
 *   to stdout with `splice(2)`: the data pages are shared, never copied;
 * - after a small batch (under a quarter of the pipe), sleeps 2 ms, so the
 *   decompressor's 8 kB writes pile up into one batch instead of one wakeup
 *   each (a 1 MiB pipe holds far more than the fastest xz writes in 2 ms, so
 *   nothing waits on it). Without the 1 MiB pipes it never sleeps.
 *
 * As `tee -p`, a side consumer that stops reading (EPIPE) is dropped and
 * the main one still gets every byte; a failing main output is a non-zero exit. When
 * `tee(2)`/`splice(2)` refuse the descriptors (not pipes), it copies with
 * read/write instead. Without perl, or on an architecture whose syscall
 * numbers are not listed here, the pipeline uses GNU `tee -p`.
 *
 * @module
 */
import { findExecutable } from "./find_executable.ts";

/** Linux syscall numbers of tee(2) and splice(2) per `Deno.build.arch`. */
const SYSCALLS: Partial<Record<string, [tee: number, splice: number]>> = {
  x86_64: [276, 275],
  aarch64: [77, 76],
};

/** The Perl program; `@ARGV` = the syscall numbers of tee and splice. */
export const SPLICE_TEE_SCRIPT = String.raw`
use strict; use warnings;
$SIG{PIPE} = 'IGNORE';
my ($TEE, $SPLICE) = @ARGV;
my ($BIG, $side_ok, $copy) = (1 << 20, 1, 0);
open(my $side, '>&=', 3) or die "kcross-tee: fd 3: $!\n";
fcntl($_, 1031, $BIG) for (\*STDIN, \*STDOUT, $side);
my $cap = fcntl(\*STDIN, 1032, 0) || 0;
my $nap = $cap >= $BIG ? $cap / 4 : 0;
sub put { my ($fh, $buf, $len) = @_; my $off = 0;
  while ($off < $len) { my $w = syswrite($fh, $$buf, $len - $off, $off);
    return 0 unless defined $w; $off += $w; } return 1; }
sub copy_n { my ($n) = @_; my $buf;
  while ($n > 0) { my $r = sysread(STDIN, $buf, $n);
    die "kcross-tee: read: $!\n" unless defined $r && $r > 0;
    put(\*STDOUT, \$buf, $r) or die "kcross-tee: write: $!\n"; $n -= $r; } }
sub move { my ($n) = @_;
  while ($n > 0) {
    if ($copy) { copy_n($n); return; }
    my $m = syscall($SPLICE, 0, 0, 1, 0, $n, 1);
    if ($m < 0 && $!{EINVAL}) { $copy = 1; next; }
    die "kcross-tee: write: $!\n" if $m <= 0;
    $n -= $m; } }
for (;;) {
  my $n;
  if ($copy) {
    my $buf; $n = sysread(STDIN, $buf, $BIG);
    die "kcross-tee: read: $!\n" unless defined $n;
    last if $n == 0;
    put(\*STDOUT, \$buf, $n) or die "kcross-tee: write: $!\n";
    $side_ok = put($side, \$buf, $n) if $side_ok;
    next;
  }
  if ($side_ok) {
    $n = syscall($TEE, 0, 3, $BIG, 0);
    if ($n < 0) {
      if ($!{EPIPE}) { $side_ok = 0; next; }
      if ($!{EINVAL}) { $copy = 1; next; }
      die "kcross-tee: $!\n";
    }
    last if $n == 0;
    move($n);
  } else {
    $n = syscall($SPLICE, 0, 0, 1, 0, $BIG, 1);
    if ($n < 0 && $!{EINVAL}) { $copy = 1; next; }
    die "kcross-tee: write: $!\n" if $n < 0;
    last if $n == 0;
  }
  select(undef, undef, undef, 0.002) if $n < $nap;
}
exit 0;
`;

/**
 * The argv of the tee stage: the splice tee when perl is on `path` and the
 * architecture's syscall numbers are known, else GNU `tee -p /dev/fd/3`.
 *
 * @example
 * ```ts
 * import { teeStageArgv } from "./splice_tee.ts";
 * const argv = teeStageArgv("/usr/bin:/bin");
 * if (argv[0] !== "perl" && argv[0] !== "tee") throw new Error(argv[0]);
 * ```
 */
export function teeStageArgv(path: string): string[] {
  const nrs = Deno.build.os === "linux" ? SYSCALLS[Deno.build.arch] : undefined;
  if (nrs && findExecutable("perl", path)) {
    return ["perl", "-e", SPLICE_TEE_SCRIPT, String(nrs[0]), String(nrs[1])];
  }
  return ["tee", "-p", "/dev/fd/3"];
}
