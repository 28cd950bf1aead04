import fs from 'node:fs';
import { loadMap, renderSection, SECURITY_MD, withSection } from './asvs-map';

/** Writes the OWASP ASVS table into SECURITY.md from test/security/asvs.json (npm run docs:asvs). */
const markdown = fs.readFileSync(SECURITY_MD, 'utf8');
fs.writeFileSync(SECURITY_MD, withSection(markdown, renderSection(loadMap())));
console.log('SECURITY.md: OWASP ASVS table written');
