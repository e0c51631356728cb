// Encrypted backup of 1,000 accounts (issue 15), in the bench page: an extension page that
// loads the second module exactly as the Import and export page does. Each run times, apart:
//   kdf      Exporter.setBackupPassword (Argon2id at the written cost: the password's own time)
//   write    Exporter.encryptedBackup, after the password (every account sealed, facts recorded)
//   read     Importer.read of the file (format and header; asks for the password)
//   open     Importer.open with the password: Argon2id again, decrypt, preview
// "Restore preview after the password" is open - kdf of the same run (the file's own key
// derivation, reported apart, as the issue asks). The preview must hold every account.

/** `{runs: [{kdf, write, read, open, restore, bytes, rows}], median: {…}}` for `keys`. */
export async function backupTimes(benchPage, { keys, runs }) {
  const all = await benchPage.evaluate(async ({ keys, runs }) => {
    await globalThis.benchSeed(keys);
    const transfer = await import('./pkg/toolbar_authenticator_transfer.js');
    await transfer.default();
    const auth = await transfer.Authenticator.load();
    const password = 'bench backup password';
    const out = [];
    for (let i = 0; i < runs; i += 1) {
      const exporter = new transfer.Exporter();
      let started = performance.now();
      exporter.setBackupPassword(password, password);
      const kdf = performance.now() - started;
      started = performance.now();
      const file = await exporter.encryptedBackup(auth, Date.now() / 1000, 0);
      const write = performance.now() - started;
      exporter.free();

      const importer = new transfer.Importer('Unnamed account');
      started = performance.now();
      try {
        importer.read(auth, file.bytes);
        throw new Error('a backup was read without its password');
      } catch (error) {
        if (error.code !== 'transfer.password-needed') throw error;
      }
      const read = performance.now() - started;
      started = performance.now();
      const preview = importer.open(auth, password);
      const open = performance.now() - started;
      importer.free();
      const rows = preview.rows.length;
      if (rows !== keys.length) throw new Error(`the preview shows ${rows} of ${keys.length} accounts`);
      out.push({ kdf, write, read, open, bytes: file.bytes.length, rows });
    }
    return out;
  }, { keys, runs });
  const median = (name) => [...all.map((r) => r[name])].sort((a, b) => a - b)[Math.floor(all.length / 2)];
  const withRestore = all.map((r) => ({ ...r, restore: r.read + Math.max(0, r.open - r.kdf) }));
  return {
    accounts: keys.length,
    runs: withRestore,
    median: {
      kdf: median('kdf'),
      write: median('write'),
      read: median('read'),
      open: median('open'),
      restore: [...withRestore.map((r) => r.restore)].sort((a, b) => a - b)[Math.floor(all.length / 2)],
      bytes: all[0].bytes,
    },
  };
}
