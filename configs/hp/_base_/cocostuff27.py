# HP on COCO-Stuff-27 (json/server/cocostuff.json): τ 0.8, consistency 0.05, ρ 0.02, code dim 512,
# pool 2048, code-pool refresh every 100 iterations, EMA 0.99, λ warm-up 1000, 3 epochs.
_base_ = ['./epochs.py', '../../_base_/datasets/cocostuff27.py']
code_dim = 512
epochs = 3
model = dict(hidden_positive_loss=dict(temperature=0.8, rho=0.02), consistency_weight=0.05,
             pool_size=2048, renew_interval=100, ema_momentum=0.99, warmup=1000)
train_dataloader = dict(batch_size=64, sampler=dict(type='DefaultSampler', shuffle=True))
