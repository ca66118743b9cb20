/**
 * The matrix file schema (zod). A matrix file is TOML:
 *
 * ```toml
 * name = "vfio"                 # optional label
 * werror = "keep"               # or "off" (CONFIG_WERROR=n), default keep
 * fragments = ["frag.config"]   # merged into every cell: files (relative to this file),
 *                               # https:// URLs, in-tree names, make:X.config, CONFIG_X=y
 * set = ["CONFIG_VFIO=m"]       # CONFIG_X overrides for every cell
 * [tree]                        # optional: default is the checkout kcross runs from
 * url = "/path/or/git-url"      # commit defaults to the checkout's HEAD
 * commit = "v6.1"
 * [matrix]                      # the axes
 * arch = ["powerpc", "arm64"]
 * config = ["allmodconfig", "defconfig"]
 * compiler = ["gcc-12.2.0"]
 * targets = ["drivers/vfio/"]   # each value is one cell's goals ("a/ b/" or ["a/", "b/"])
 * [make]                        # free make variables: a string is constant, a list is an axis
 * W = "1"
 * [[exclude]]                   # drop cells matching every key (values may be lists / globs)
 * arch = "arm64"
 * config = "allmodconfig"
 * [[include]]                   # add a cell outside the product
 * arch = "x86_64"
 * config = "defconfig"
 * compiler = "clang-15"
 * [[override]]                  # per-cell settings for cells matching `match`
 * match = { arch = "powerpc" }
 * werror = "off"
 * ```
 *
 * @module
 */
import { z } from "zod";

const nonEmpty = z.string().min(1, "must not be empty");

/** A make variable name: `W`, `C`, `CF`, `KCFLAGS`… (not the ones kcross sets). */
const makeVarName = z.string().regex(
  /^[A-Z][A-Z0-9_]*$/,
  "make variable names are upper case (W, C, CF, KCFLAGS…)",
).refine(
  (n) => !["ARCH", "CROSS_COMPILE", "O", "CC", "LLVM"].includes(n),
  "ARCH, CROSS_COMPILE, O, CC and LLVM come from the arch/compiler axes",
);

/** `CONFIG_X=y|m|n|value` or `# CONFIG_X is not set`. */
const configSet = z.string().regex(
  /^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$/,
  'expected "CONFIG_X=y|m|n|value" or "# CONFIG_X is not set"',
);

/** One cell's targets: `"drivers/vfio/"`, `"a/ b/"`, `["a/", "b/"]` or `""`. */
const targetValue = z.union([z.string(), z.array(nonEmpty)]);

const matchValue = z.union([nonEmpty, z.array(nonEmpty).min(1)]);

/** A rule matching cells by axis value (globs with `*` allowed). */
export const matcherSchema = z.record(z.string(), matchValue);

const cellSettings = {
  werror: z.enum(["keep", "off"]).optional(),
  fragments: z.array(nonEmpty).optional(),
  set: z.array(configSet).optional(),
  make: z.record(makeVarName, z.string()).optional(),
  targets: targetValue.optional(),
  allow_failure: z.boolean().optional(),
};

const axisList = z.array(nonEmpty).min(1, "an axis needs at least one value");

/** The `[matrix]` table: known axes plus upper-case make-variable axes. */
const matrixTable = z.object({
  arch: axisList,
  config: axisList,
  compiler: axisList,
  targets: z.array(targetValue).min(1).optional(),
}).catchall(axisList).superRefine((value, ctx) => {
  for (const key of Object.keys(value)) {
    if (["arch", "config", "compiler", "targets"].includes(key)) continue;
    const ok = makeVarName.safeParse(key);
    if (!ok.success) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [key],
        message: `unknown axis "${key}": axes are arch, config, compiler, ` +
          "targets, or upper-case make variables (W, C…)",
      });
    }
  }
});

/** The whole matrix file. */
export const matrixFileSchema = z.object({
  name: nonEmpty.optional(),
  werror: z.enum(["keep", "off"]).optional(),
  fragments: z.array(nonEmpty).optional(),
  set: z.array(configSet).optional(),
  tree: z.object({
    url: nonEmpty.optional(),
    commit: nonEmpty.optional(),
  }).strict().optional(),
  matrix: matrixTable,
  make: z.record(
    makeVarName,
    z.union([z.string(), z.array(z.string()).min(1)]),
  ).optional(),
  include: z.array(
    z.object({
      arch: nonEmpty.optional(),
      config: nonEmpty.optional(),
      compiler: nonEmpty.optional(),
      ...cellSettings,
    }).strict(),
  ).optional(),
  exclude: z.array(matcherSchema).optional(),
  override: z.array(
    z.object({ match: matcherSchema, ...cellSettings }).strict(),
  ).optional(),
}).strict();

/** A matrix file as validated (before expansion). */
export type MatrixFile = z.infer<typeof matrixFileSchema>;

/** Per-cell settings shared by `[[include]]` and `[[override]]`. */
export type CellSettings = {
  werror?: "keep" | "off" | undefined;
  fragments?: string[] | undefined;
  set?: string[] | undefined;
  make?: Record<string, string> | undefined;
  targets?: string | string[] | undefined;
  allow_failure?: boolean | undefined;
};
