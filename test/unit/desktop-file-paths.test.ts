/**
 * In the desktop app file paths for export, restore and model import come only from the system
 * dialog in main: a path the page sends is refused, whatever it names. (The handlers' decision,
 * as a plain function: Electron cannot start on these machines.)
 */
import { createOperationsHandlers } from '../../src-main/services/api/operations-handlers';
import type { OperationsDeps } from '../../src-main/services/api/operations-handlers';

function handlersWith(dialogs: OperationsDeps['dialogs']) {
  const written: Array<{ path: string; overwrite: boolean }> = [];
  const restored: unknown[] = [];
  const deps = {
    secrets: {},
    incidents: {},
    monitor: {},
    backups: {
      exportTo: async (_id: string, path: string, overwrite = false) => {
        written.push({ path, overwrite });
        return path;
      },
      restore: async (source: unknown) => {
        restored.push(source);
      },
      status: () => ({ backups: [] }),
    },
    dialogs,
  } as unknown as OperationsDeps;
  return { handlers: createOperationsHandlers(deps), written, restored };
}

describe('file paths in the desktop app', () => {
  const dialogs = {
    chooseExportFile: async () => '/home/me/chosen.tdbackup',
    chooseBackupFile: async () => '/home/me/backup.tdbackup',
  };

  it('refuses a path from the page and writes where the dialog says (which asked to replace)', async () => {
    const { handlers, written, restored } = handlersWith(dialogs);
    await expect(
      handlers['backups.export']({ id: 'b1', path: '/home/me/.bashrc', overwrite: true }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(handlers['backups.restoreFile']({ path: '/tmp/evil' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(written).toEqual([]);
    expect(restored).toEqual([]);
    expect(await handlers['backups.export']({ id: 'b1' })).toEqual({
      path: '/home/me/chosen.tdbackup',
    });
    expect(written).toEqual([{ path: '/home/me/chosen.tdbackup', overwrite: true }]);
    await handlers['backups.restoreFile']({});
    expect(restored).toEqual([{ file: '/home/me/backup.tdbackup' }]);
  });

  it('in the browser host takes the typed path and never replaces a file unconfirmed', async () => {
    const { handlers, written } = handlersWith(null);
    await handlers['backups.export']({ id: 'b1', path: '/home/me/a.tdbackup' });
    await handlers['backups.export']({ id: 'b1', path: '/home/me/b.tdbackup', overwrite: true });
    expect(written).toEqual([
      { path: '/home/me/a.tdbackup', overwrite: false },
      { path: '/home/me/b.tdbackup', overwrite: true },
    ]);
  });
});
