/**
 * The line patterns diagnostic extraction recognises. Each is applied only
 * to candidate lines (see `DiagnosticCollector`), with the sticky flag at
 * the line's start, so no per-line substring is made for lines that fail.
 *
 * @module
 */

/** `FILE: SEVERITY: MESSAGE` with no line (objtool, ld, cc1, bison). */
export const UNLOCATED_RE = /^([^\s:][^:]*): (fatal error|error|warning):(.*)$/;

/** Linker programs: `ld`, `powerpc64-linux-gnu-ld`, `ld.lld-15`, `ld.bfd`. */
export const LINKER_PROG_RE = /(?:^|[/-])ld(?:\.(?:lld|bfd|gold))?(?:-\d+)?$/;

/** Compiler drivers and passes that print `PROG: error: …` lines. */
export const COMPILER_PROG_RE =
  /^(?:cc1(?:plus)?|(?:.*[/-])?(?:gcc|g\+\+|clang|clang\+\+|cc)(?:-\d+(?:\.\d+)*)?)$/;

/**
 * A GNU ld undefined-reference style line, with or without the program
 * prefix: `[ld: ]LOCATION: undefined reference to `x'`.
 */
export const LINKER_REF_RE =
  /^(?:(\S*?ld(?:\.\w+)?(?:-\d+)?): )?(.*?): ((?:undefined reference to|multiple definition of|relocation truncated to fit:?) .*)$/;

/** `ld: drivers/x.o: in function `f':` — the object a linker error concerns. */
export const LINKER_CONTEXT_RE =
  /^(?:\S*?ld(?:\.\w+)?(?:-\d+)?: )?(\S+?): in function [`'][^']*':$/;

/** gcc's include-chain continuation: `                 from FILE:LINE[,:]`. */
export const CHAIN_FROM_RE = /^\s+from ([^:]+):\d+(?::\d+)?[,:]$/;

/** gcc's `FILE: In function 'f':` / `At top level:` context line. */
export const IN_FUNCTION_RE =
  /^([^\s:][^:]*): (?:In (?:member )?function|In static member function|In constructor|In destructor|At top level|In instantiation)/;

/** `make[N]: Entering directory '/x'` (any quote style). */
export const MAKE_DIR_RE =
  /^make(?:\[\d+\])?: (Entering|Leaving) directory [`'"](.*)['"]$/;

/** `make[N]: *** No rule to make target …` — a make-level build error. */
export const MAKE_ERROR_RE =
  /^make(?:\[\d+\])?: \*\*\* (No rule to make target .*)$/;

/** `ERROR: modpost: msg` / `WARNING: modpost: msg` / old `ERROR: "x" … undefined!`. */
export const MODPOST_RE = /^(ERROR|WARNING): (?:modpost: )?(.*)$/;

/** Module or object a modpost message names: `[drivers/x.ko]` or `in drivers/x.o`. */
export const MODPOST_OBJECT_RE = /\[([^\]\s]+\.ko)\]|\bin ([^\s]+\.o)\b/;

/** Phrases only kernel-doc prints (for `FILE:LINE: warning:` with no column). */
export const KERNEL_DOC_RE =
  /^(?:Function parameter or (?:member|struct member)|Excess |Enum value|No description found|expecting prototype|cannot understand|This comment starts with|missing initial short description|Incorrect use of kernel-doc|Cannot understand|bad line|wrong kernel-doc|duplicate section|contents before sections|Function return value|Cannot parse|no structured comments|suspicious ending line|Prototype was for|Unknown |cannot find|duplicate section name)/;
