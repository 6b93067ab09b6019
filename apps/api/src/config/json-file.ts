import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFile } from 'node:fs/promises';

/**
 * A configuration file in the same JSON as the API's import endpoint, validated by the same
 * DTO. A bad file stops the start with the reasons (never the values).
 */
export async function readConfigFile<T extends object>(
  setting: string,
  file: string,
  dto: ClassConstructor<T>,
): Promise<T> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const instance = plainToInstance(dto, parsed);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const reasons = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).concat(
        e.children?.length ? [`${e.property}: invalid entries`] : [],
      ),
    );
    throw new Error(`${setting} ${file} is not valid: ${reasons.join('; ')}`);
  }
  return instance;
}
