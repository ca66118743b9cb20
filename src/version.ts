/** kcross's version, recorded in every build record. */
export const VERSION = "0.1.0";
