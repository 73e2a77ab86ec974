// Shared launcher for the programs in bin/: loads a package's ./cli export and runs one of its entry points.
// Each entry point takes the process arguments (after the program name) and resolves to an exit code.
export async function launch(specifier, entry, programName) {
  let mod;
  try {
    mod = await import(specifier);
  } catch (err) {
    if (err && (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')) {
      process.stderr.write(
        `${programName}: not built yet (${specifier}); run \`npm install && npm run build\` first\n`,
      );
      process.exit(1);
    }
    throw err;
  }
  const code = await mod[entry](process.argv.slice(2), programName);
  if (typeof code === 'number') process.exitCode = code;
}
