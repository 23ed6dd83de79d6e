import { SkyClustClient } from '@skyclust/sdk';

const client = new SkyClustClient({
  baseURL: 'http://localhost:8080/api/v1',
  token: 'your-jwt-token'
});

// 워크스페이스 목록 조회
const workspaces = await client.workspaces.list();

// VM 생성
const vm = await client.vms.create({
  name: 'my-vm',
  provider: 'aws',
  instance_type: 't3.micro',
  region: 'us-east-1'
});
