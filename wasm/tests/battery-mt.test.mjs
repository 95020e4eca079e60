// The bad-input battery (battery.mjs) on the threaded build with a pool of 2 threads.
import { batterySuite } from "./battery.mjs";

batterySuite({}, 2);
