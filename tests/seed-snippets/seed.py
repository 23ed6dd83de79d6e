from skyclust import SkyClustClient

client = SkyClustClient(
    base_url='http://localhost:8080/api/v1',
    token='your-jwt-token'
)

# 워크스페이스 목록 조회
workspaces = client.workspaces.list()

# VM 생성
vm = client.vms.create({
    'name': 'my-vm',
    'provider': 'aws',
    'instance_type': 't3.micro',
    'region': 'us-east-1'
})
