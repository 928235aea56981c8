import { redPacketAmount } from './red-packet-rule';

describe('redPacketAmount', () => {
  it.each([
    ['128.50', '6.43'],
    ['12.30', '0.62'],
    ['12.29', '0.61'],
    ['100', '5.00'],
  ])('is 5%% of the order, rounded half up to a cent: %p → %p', (order, packet) => {
    expect(redPacketAmount(order)).toBe(packet);
  });

  it.each([
    ['0.01', '0.50'],
    ['9.00', '0.50'],
    ['10.00', '0.50'],
  ])('is at least 0.50: %p → %p', (order, packet) => {
    expect(redPacketAmount(order)).toBe(packet);
  });

  it.each([
    ['400.00', '20.00'],
    ['400.20', '20.00'],
    ['1000000.00', '20.00'],
  ])('is at most 20.00: %p → %p', (order, packet) => {
    expect(redPacketAmount(order)).toBe(packet);
  });
});
