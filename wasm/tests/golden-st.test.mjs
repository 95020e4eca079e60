// Golden tests (see golden.mjs) on the single-threaded build.
import { goldenSuite } from "./golden.mjs";

goldenSuite({ threads: false }, false);
