// The behaviour scenarios (scenarios/) in real headless Firefox with the built dist-firefox/.
// `cargo xtask test --only firefox` runs this file (the e2e step runs the rest of tests/e2e/).

import * as firefox from './drivers/firefox.mjs';
import { runScenarios } from './scenarios/index.mjs';

runScenarios(firefox);
