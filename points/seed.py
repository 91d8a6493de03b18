"""Demo data of the points area: two shops in 河西村, one in 岔马村, the demo shop keeper, a code at each counter."""
from accounts.seed import Demo, get_or_create, grant
from citizen.codes.seed import demo_code
from points.models import Shop

DEMO_SHOPS = (
    # code, village, name, address, keeper phone
    ("HXZC01", "hexi", "河西早餐店", "河西村村委会东侧20米", "13900000201"),
    ("HXCS02", "hexi", "河西便民超市", "河西村文化广场北", None),
    ("CMLF01", "chama", "岔马理发店", "岔马村老桥头", None),
)


def seed_demo(demo: Demo) -> Demo:
    """Create the demo shops and tie the demo shop keeper to the breakfast shop."""
    for code, slug, name, address, keeper in DEMO_SHOPS:
        shop = get_or_create(Shop, {"village_id": demo.villages[slug].id, "name": name, "address": address,
                                    "contact": "店主"}, code=code)
        if keeper:
            grant(demo.users[keeper], "shopkeeper", shop_id=shop.id)
        demo_code(shop.village, "shop", shop.id, f"{name}收银台", demo.users.get("13900000001"))
    return demo
