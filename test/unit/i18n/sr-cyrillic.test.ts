import { toCyrillic } from '../../../scripts/sr-cyrillic';

describe('Serbian Latin to Cyrillic', () => {
  it.each([
    ['Ljubav i njega, džep', 'Љубав и њега, џеп'],
    ['LJUBAV NJIVA DŽEM', 'ЉУБАВ ЊИВА ЏЕМ'],
    ['Đak šije čarape ćutke', 'Ђак шије чарапе ћутке'],
    ['konjunkcija', 'конјункција'],
  ])('%s', (latin, cyrillic) => expect(toCyrillic(latin)).toBe(cyrillic));

  it('leaves placeholders, addresses and acronyms alone', () => {
    expect(toCyrillic('Zdravo {name}, pišite na ime@example.com o SSH ključu')).toBe('Здраво {name}, пишите на ime@example.com о SSH кључу');
  });
});
