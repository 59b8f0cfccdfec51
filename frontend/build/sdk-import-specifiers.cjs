/**
 * Turbopack loader for the SDK's TypeScript sources. The SDK writes Node-style relative imports
 * with a `.js` extension (`./bytes.js` for bytes.ts), which tsc and tsx understand but Turbopack
 * does not resolve yet (vercel/next.js#82945, no `extensionAlias` equivalent). Dropping the
 * extension lets Turbopack's normal TypeScript resolution find the file. Remove once Turbopack
 * resolves `.js` to `.ts`.
 */
const relativeJsSpecifier = /((?:\bfrom|\bimport)\s*\(?\s*["'])(\.{1,2}\/[^"'\n]+?)\.js(["'])/g;

module.exports = function sdkImportSpecifiers(source) {
  return source.replace(relativeJsSpecifier, "$1$2$3");
};
