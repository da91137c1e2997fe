import type { GpuMemoryReport } from './api.ts';

interface DeviceCount {
  bytes: number;
  stagingBytes: number;
  buffers: number;
}

/**
 * Counts the GPU memory a worker holds: every buffer a tracked device creates adds its size, and
 * its first destroy() takes it off again. A buffer dropped without destroy() stays counted, which
 * is what a leak check wants. A lost or destroyed device frees everything it held, so it leaves
 * the ledger.
 */
export class GpuLedger {
  private readonly devices = new Map<GPUDevice, DeviceCount>();

  /**
   * Returns `device` seen through a counting proxy: buffers created through it are counted until
   * their first destroy(). Everything else passes through to the device unchanged.
   */
  track(device: GPUDevice): GPUDevice {
    const count: DeviceCount = { bytes: 0, stagingBytes: 0, buffers: 0 };
    this.devices.set(device, count);
    void device.lost.then(() => this.devices.delete(device));
    const createBuffer = (descriptor: GPUBufferDescriptor) => {
      const buffer = device.createBuffer(descriptor);
      const staging = (descriptor.usage & GPUBufferUsage.MAP_READ) !== 0 ? buffer.size : 0;
      count.bytes += buffer.size;
      count.stagingBytes += staging;
      count.buffers++;
      const destroy = buffer.destroy.bind(buffer);
      let destroyed = false;
      buffer.destroy = () => {
        if (!destroyed) {
          destroyed = true;
          count.bytes -= buffer.size;
          count.stagingBytes -= staging;
          count.buffers--;
        }
        destroy();
      };
      return buffer;
    };
    return new Proxy(device, {
      get: (target, key) => {
        if (key === 'createBuffer') return createBuffer;
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** What the tracked devices hold now. */
  report(): Pick<GpuMemoryReport, 'bytes' | 'stagingBytes' | 'buffers'> {
    const total = { bytes: 0, stagingBytes: 0, buffers: 0 };
    for (const c of this.devices.values()) {
      total.bytes += c.bytes;
      total.stagingBytes += c.stagingBytes;
      total.buffers += c.buffers;
    }
    return total;
  }
}
