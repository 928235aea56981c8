import { couponValue } from './coupon-rule';

describe('couponValue', () => {
  it.each([
    ['128.50', '12.85'],
    ['12.34', '1.23'],
    ['12.35', '1.24'],
    ['10.10', '1.01'],
    ['250', '25.00'],
  ])('is 10%% of the order, rounded half up to a cent: %p → %p', (order, coupon) => {
    expect(couponValue(order)).toBe(coupon);
  });

  it.each([
    ['0.01', '1.00'],
    ['5.00', '1.00'],
    ['10.00', '1.00'],
  ])('is at least 1.00: %p → %p', (order, coupon) => {
    expect(couponValue(order)).toBe(coupon);
  });

  it.each([
    ['500.00', '50.00'],
    ['500.10', '50.00'],
    ['1000000.00', '50.00'],
  ])('is at most 50.00: %p → %p', (order, coupon) => {
    expect(couponValue(order)).toBe(coupon);
  });
});
