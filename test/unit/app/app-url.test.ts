import { describe, expect, it } from 'vitest';
import { createAppUrlCheck, isAllowedExternal } from '../../../electron/main/app/app-url';

const index = 'file:///opt/DropPay%20Cashier/resources/app.asar/out/renderer/index.html';

describe('which URLs are the app', () => {
  const packaged = createAppUrlCheck({ rendererIndexUrl: index });

  it('accepts our index.html with either view', () => {
    expect(packaged(`${index}#cashier`)).toBe(true);
    expect(packaged(`${index}#customer`)).toBe(true);
  });

  it('matches the path however it is escaped, and ignores case only where asked', () => {
    const spaced = 'file:///opt/DropPay Cashier/resources/app.asar/out/renderer/index.html#cashier';
    expect(packaged(spaced)).toBe(true);
    expect(packaged(index.replace('DropPay', 'droppay'))).toBe(false);
    const windows = createAppUrlCheck({
      rendererIndexUrl: 'file:///C:/Program%20Files/DropPay/out/renderer/index.html',
      ignoreCase: true,
    });
    expect(windows('file:///c:/program files/droppay/out/renderer/index.html#customer')).toBe(true);
    expect(windows('file:///c:/program files/droppay/out/renderer/other.html')).toBe(false);
  });

  it('refuses any other local file, even one in a folder named out/renderer', () => {
    expect(packaged('file:///home/x/Downloads/out/renderer/index.html')).toBe(false);
    expect(packaged('file:///opt/DropPay%20Cashier/resources/app.asar/out/renderer/evil.html')).toBe(false);
    expect(packaged('file:///etc/passwd')).toBe(false);
  });

  it('refuses web pages and garbage', () => {
    expect(packaged('https://evil.example/out/renderer/index.html')).toBe(false);
    expect(packaged('about:blank')).toBe(false);
    expect(packaged('not a url')).toBe(false);
    expect(packaged('')).toBe(false);
  });

  it('in development, accepts the dev server by exact origin only', () => {
    const dev = createAppUrlCheck({ rendererIndexUrl: index, devServerUrl: 'http://localhost:5173' });
    expect(dev('http://localhost:5173/#cashier')).toBe(true);
    expect(dev('http://localhost:51730/#cashier')).toBe(false);
    expect(dev('http://localhost:5173.evil.example/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
  });
});

describe('external links', () => {
  it('opens only allowlisted https origins without credentials', () => {
    expect(isAllowedExternal('https://www.drop-pay.com/privacy')).toBe(true);
    expect(isAllowedExternal('https://docs.drop-pay.io/pos')).toBe(true);
    expect(isAllowedExternal('http://www.drop-pay.com/')).toBe(false);
    expect(isAllowedExternal('https://www.drop-pay.com.evil.example/')).toBe(false);
    expect(isAllowedExternal('https://user:pw@www.drop-pay.com/')).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
  });
});
