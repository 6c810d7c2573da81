NOTICE_EXAMPLE = {
    "kind": "copyright",
    "claimant": {"name": "Marta Hnatiuk", "organisation": "Kyiv Independent Media LLC",
                 "email": "legal@kyivindependent.example", "address": "12 Example St, Kyiv, Ukraine",
                 "phone": "+380 44 000 0000"},
    "acting_for": {"name": "Kyiv Independent Media LLC", "relationship": "owner"},
    "work_description": "News report 'Ukrainian forces reach the border north of Kharkiv', 16 May 2022",
    "statements": {"good_faith": True, "accuracy_under_penalty_of_perjury": True},
    "signature": "/Marta Hnatiuk/",
    "items": [
        {"url": "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/",
         "original_url": "https://www.kyivindependent.example/news/kharkiv-border-2022-05-16/"},
        {"url": "https://cdn.worldtimetodays.example/img/2022/05/biskvitne-tank.jpg", "note": "photo"},
    ],
}
