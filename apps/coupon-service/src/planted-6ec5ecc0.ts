import { Order } from '../../order-service/src/orders/order.entity';
export const planted = Order;
