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
 * A consumer that stops reading (EPIPE) is dropped and the other still gets
 * every byte (as `tee -p`), and with none left the input is still read to
 * its end, so the decompressor checks all of it: gpgv rejecting its
 * signature file early must not starve tar, and tar stopping at the
 * archive's end-of-archive blocks (it does not read the zero padding after
 * them when its reads came back short) must not cut gpgv's stream short or
 * fail the install. Whether each consumer got what it needed is its own
 * exit status.
 *
 * With a cap (`maxBytes`), it counts what passes and, past the cap, stops
 * with exit status {@link OVER_CAP_EXIT} and a `kcross-tee: more than N
 * bytes` line: a decompression bomb is cut off while it streams, before it
 * fills the disk (tar then sees its input end early). GNU `tee` has no cap:
 * without perl the stream is not capped.
 *
 * When `tee(2)`/`splice(2)` refuse the descriptors (not
 * pipes), it copies with read/write instead. Without perl, or on an architecture whose syscall
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

/** The tee stage's exit status when more than its cap passed. */
export const OVER_CAP_EXIT = 75;

/**
 * The Perl program; `@ARGV` = the syscall numbers of tee and splice, `tee`
 * or `batch` (the batching stage alone, no fd 3), then the cap in bytes
 * (0: none).
 */
export const SPLICE_TEE_SCRIPT = String.raw`
use strict; use warnings;
$SIG{PIPE} = 'IGNORE';
my ($TEE, $SPLICE, $MODE, $CAP) = @ARGV;
my ($BIG, $main_ok, $side_ok, $copy, $total) = (1 << 20, 1, 1, 0, 0);
$CAP = 0 unless defined $CAP && $CAP =~ /^[0-9]+$/;
my $side;
sub count { $total += $_[0];
  if ($CAP && $total > $CAP) { print STDERR "kcross-tee: more than $CAP bytes\n";
    exit ${OVER_CAP_EXIT}; } }
if (($MODE // '') eq 'batch') { $side_ok = 0; }
else { open($side, '>&=', 3) or die "kcross-tee: fd 3: $!\n";
  fcntl($side, 1031, $BIG); }
fcntl($_, 1031, $BIG) for (\*STDIN, \*STDOUT);
my $cap = fcntl(\*STDIN, 1032, 0) || 0;
my $nap = $cap >= $BIG ? $cap / 4 : 0;
# 1 when all was written, 0 when the reader has gone (EPIPE).
sub put { my ($fh, $buf, $len) = @_; my $off = 0;
  while ($off < $len) { my $w = syswrite($fh, $$buf, $len - $off, $off);
    if (!defined $w) { return 0 if $!{EPIPE}; die "kcross-tee: write: $!\n"; }
    $off += $w; } return 1; }
# Reads $n bytes (at most $BIG at a time; EOF is an error); the handler
# gets each piece.
sub take { my ($n, $use) = @_; my $buf;
  while ($n > 0) { my $r = sysread(STDIN, $buf, $n < $BIG ? $n : $BIG);
    die "kcross-tee: read: $!\n" unless defined $r && $r > 0;
    $use->(\$buf, $r); $n -= $r; } }
# The $n bytes at the head of stdin, already teed to fd 3, go to stdout
# (or are dropped once stdout's reader has gone).
sub move { my ($n) = @_;
  while ($n > 0) {
    if (!$main_ok) { take($n, sub {}); return; }
    if ($copy) {
      take($n, sub { $main_ok = put(\*STDOUT, $_[0], $_[1]) if $main_ok; });
      return; }
    my $m = syscall($SPLICE, 0, 0, 1, 0, $n, 1);
    if ($m < 0 && $!{EINVAL}) { $copy = 1; next; }
    if ($m < 0 && $!{EPIPE}) { $main_ok = 0; next; }
    die "kcross-tee: write: $!\n" if $m <= 0;
    $n -= $m; } }
for (;;) {
  my $n;
  if ($copy) {
    my $buf; $n = sysread(STDIN, $buf, $BIG);
    die "kcross-tee: read: $!\n" unless defined $n;
    last if $n == 0; count($n);
    $main_ok = put(\*STDOUT, \$buf, $n) if $main_ok;
    $side_ok = put($side, \$buf, $n) if $side_ok;
    next;
  }
  if ($main_ok && $side_ok) {
    $n = syscall($TEE, 0, 3, $BIG, 0);
    if ($n < 0) {
      if ($!{EPIPE}) { $side_ok = 0; next; }
      if ($!{EINVAL}) { $copy = 1; next; }
      die "kcross-tee: $!\n";
    }
    last if $n == 0; count($n);
    move($n);
  } elsif ($main_ok || $side_ok) {
    my $to = $main_ok ? 1 : 3;
    # With a cap, at most one byte past it moves before count() stops.
    my $want = $CAP && $CAP - $total + 1 < $BIG ? $CAP - $total + 1 : $BIG;
    $n = syscall($SPLICE, 0, 0, $to, 0, $want, 1);
    if ($n < 0 && $!{EINVAL}) { $copy = 1; next; }
    if ($n < 0 && $!{EPIPE}) { $to == 1 ? ($main_ok = 0) : ($side_ok = 0); next; }
    die "kcross-tee: write: $!\n" if $n < 0;
    last if $n == 0; count($n);
  } else {
    my $buf; $n = sysread(STDIN, $buf, $BIG);
    die "kcross-tee: read: $!\n" unless defined $n;
    last if $n == 0; count($n);
  }
  select(undef, undef, undef, 0.002) if $n < $nap;
}
exit 0;
`;

/**
 * The argv of the tee stage: the splice tee when perl is on `path` and the
 * architecture's syscall numbers are known, else GNU `tee -p /dev/fd/3`.
 * With `side: false` it is the batching stage alone (stdin to stdout through
 * 1 MiB pipes, no fd 3): undefined without perl, as a plain pipe from the
 * source to the main stage is then as good as GNU tee.
 *
 * @example
 * ```ts
 * import { teeStageArgv } from "./splice_tee.ts";
 * const argv = teeStageArgv("/usr/bin:/bin");
 * if (argv[0] !== "perl" && argv[0] !== "tee") throw new Error(argv[0]);
 * const batch = teeStageArgv("/usr/bin:/bin", { side: false });
 * if (batch && batch.at(-2) !== "batch") throw new Error(batch.join(" "));
 * ```
 */
export function teeStageArgv(path: string): string[];
export function teeStageArgv(
  path: string,
  options: { side: boolean; maxBytes?: number },
): string[] | undefined;
export function teeStageArgv(
  path: string,
  options: { side: boolean; maxBytes?: number } = { side: true },
): string[] | undefined {
  const nrs = Deno.build.os === "linux" ? SYSCALLS[Deno.build.arch] : undefined;
  if (nrs && findExecutable("perl", path)) {
    return [
      "perl",
      "-e",
      SPLICE_TEE_SCRIPT,
      String(nrs[0]),
      String(nrs[1]),
      options.side ? "tee" : "batch",
      String(Math.max(0, Math.floor(options.maxBytes ?? 0))),
    ];
  }
  return options.side ? ["tee", "-p", "/dev/fd/3"] : undefined;
}
