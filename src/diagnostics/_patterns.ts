/**
 * The line patterns diagnostic extraction recognises. Each is applied only
 * to candidate lines (see `DiagnosticCollector`), with the sticky flag at
 * the line's start, so no per-line substring is made for lines that fail.
 *
 * @module
 */

/**
 * `FILE:LINE[:COL]: SEVERITY: MESSAGE` (gcc, clang, sparse, kernel-doc, gas).
 * `note`/`remark` are matched so the caller can recognise and skip them.
 */
export const LOCATED_RE =
  /([^\s:][^:\n]*?):(\d+):(?:(\d+):)? (fatal error|error|warning|note|remark|sparse|Error|Warning|Fatal error):([^\n]*)/y;

/** `FILE: SEVERITY: MESSAGE` with no line (objtool, ld, cc1, bison). */
export const UNLOCATED_RE =
  /([^\s:][^:\n]*): (fatal error|error|warning):([^\n]*)/y;

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

/** `  CC [M]  drivers/x.o` and friends: the kbuild quiet-command line. */
export const QUIET_CMD_RE =
  / {2}(CC|AS|CHECK|HOSTCC|HOSTCXX|CXX|CPP|LDS) +(?:\[M\] +)?(\S+)/y;

/** `In file included from FILE:LINE[:COL][,:]` (gcc and clang). */
export const INCLUDED_FROM_RE =
  /In file included from ([^:\n]+):\d+(?::\d+)?([,:])/y;

/** gcc's include-chain continuation: `                 from FILE:LINE[,:]`. */
export const CHAIN_FROM_RE = / +from ([^:\n]+):\d+(?::\d+)?[,:]/y;

/** gcc's `FILE: In function 'f':` / `At top level:` context line. */
export const IN_FUNCTION_RE =
  /([^\s:][^:\n]*): (?:In (?:member )?function|In static member function|In constructor|In destructor|At top level|In instantiation)/y;

/** `make[N]: Entering directory '/x'` (any quote style). */
export const MAKE_DIR_RE =
  /make(?:\[\d+\])?: (Entering|Leaving) directory [`'"]([^\n]*)['"]/y;

/** `make[N]: *** No rule to make target …` — a make-level build error. */
export const MAKE_ERROR_RE =
  /make(?:\[\d+\])?: \*\*\* (No rule to make target [^\n]*)/y;

/** `ERROR: modpost: msg` / `WARNING: modpost: msg` / old `ERROR: "x" … undefined!`. */
export const MODPOST_RE = /(ERROR|WARNING): (?:modpost: )?([^\n]*)/y;

/** Module or object a modpost message names: `[drivers/x.ko]` or `in drivers/x.o`. */
export const MODPOST_OBJECT_RE = /\[([^\]\s]+\.ko)\]|\bin ([^\s]+\.o)\b/;

/** The `[-W…]` option gcc and clang append to a message. */
export const FLAG_RE = /\[(-W[^\]\s]*)\]$/;

/** Phrases only kernel-doc prints (for `FILE:LINE: warning:` with no column). */
export const KERNEL_DOC_RE =
  /^(?:Function parameter or (?:member|struct member)|Excess |Enum value|No description found|expecting prototype|cannot understand|This comment starts with|missing initial short description|Incorrect use of kernel-doc|Cannot understand|bad line|wrong kernel-doc|duplicate section|contents before sections|Function return value|Cannot parse|no structured comments|suspicious ending line|Prototype was for|Unknown |cannot find|duplicate section name)/;
