// The behaviour scenarios (scenarios/) in real headless Chromium with the built dist/: the same
// descriptions scenarios-firefox.test.mjs runs in Firefox.

import * as chromium from './drivers/chromium.mjs';
import { runScenarios } from './scenarios/index.mjs';

runScenarios(chromium);
