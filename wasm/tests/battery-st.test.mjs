// The bad-input battery (battery.mjs) on the single-threaded build.
import { batterySuite } from "./battery.mjs";

batterySuite({ threads: false }, 0);
