// ESLint for the TypeScript of scripts, tests, the SDK and the dApp (Solidity is linted by solhint).
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "**/node_modules/",
      "artifacts/",
      "cache/",
      "coverage/",
      "types/",
      "deployments/",
      "ignition/deployments/",
      "**/.next/",
      "frontend/next-env.d.ts",
      ".careledger/",
      "e2e/artifacts/",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
